import type { GitHubState } from './state.js';

export type AuthorAssociation = 'OWNER' | 'COLLABORATOR' | 'CONTRIBUTOR' | 'NONE';

/** How GitHub relates `login` to the repository in `author_association`. */
export function readAuthorAssociation(state: GitHubState, repo: string, login: string): AuthorAssociation {
  const repository = state.readRepository(repo);
  if (repository.owner.toLowerCase() === login.toLowerCase()) return 'OWNER';
  if (repository.collaborators[login.toLowerCase()]) return 'COLLABORATOR';
  const contributed = state.data.pullRequests.some(
    (p) => p.repo === repository.fullName && p.merged && p.author.toLowerCase() === login.toLowerCase(),
  );
  return contributed ? 'CONTRIBUTOR' : 'NONE';
}
