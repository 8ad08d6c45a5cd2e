import { renderUserByLogin } from './render-user.js';
import type { RenderContext } from './render-context.js';
import { createNodeId } from './render-context.js';
import type { RepositoryRecord } from './records.js';

const templatedLinks: Record<string, string> = {
  archive_url: '/{archive_format}{/ref}',
  assignees_url: '/assignees{/user}',
  blobs_url: '/git/blobs{/sha}',
  branches_url: '/branches{/branch}',
  collaborators_url: '/collaborators{/collaborator}',
  comments_url: '/comments{/number}',
  commits_url: '/commits{/sha}',
  compare_url: '/compare/{base}...{head}',
  contents_url: '/contents/{+path}',
  git_commits_url: '/git/commits{/sha}',
  git_refs_url: '/git/refs{/sha}',
  git_tags_url: '/git/tags{/sha}',
  issue_comment_url: '/issues/comments{/number}',
  issue_events_url: '/issues/events{/number}',
  issues_url: '/issues{/number}',
  keys_url: '/keys{/key_id}',
  labels_url: '/labels{/name}',
  milestones_url: '/milestones{/number}',
  notifications_url: '/notifications{?since,all,participating}',
  pulls_url: '/pulls{/number}',
  releases_url: '/releases{/id}',
  statuses_url: '/statuses/{sha}',
  trees_url: '/git/trees{/sha}',
  contributors_url: '/contributors',
  deployments_url: '/deployments',
  downloads_url: '/downloads',
  events_url: '/events',
  forks_url: '/forks',
  hooks_url: '/hooks',
  languages_url: '/languages',
  merges_url: '/merges',
  stargazers_url: '/stargazers',
  subscribers_url: '/subscribers',
  subscription_url: '/subscription',
  tags_url: '/tags',
  teams_url: '/teams',
};

/** Renders a repository as GitHub's `repository` (pull request heads and bases, events). */
export function renderRepository(context: RenderContext, repository: RepositoryRecord): Record<string, unknown> {
  const url = `${context.apiUrl}/repos/${repository.fullName}`;
  const htmlUrl = `${context.htmlUrl}/${repository.fullName}`;
  const links = Object.fromEntries(Object.entries(templatedLinks).map(([name, suffix]) => [name, `${url}${suffix}`]));
  const openIssues = context.state.data.pullRequests.filter(
    (p) => p.repo === repository.fullName && p.state === 'open',
  ).length;
  return {
    id: repository.id,
    node_id: createNodeId('Repository', repository.id),
    name: repository.name,
    full_name: repository.fullName,
    owner: renderUserByLogin(context, repository.owner),
    private: repository.private,
    html_url: htmlUrl,
    description: null,
    fork: repository.fork,
    url,
    ...links,
    git_url: `git://github.com/${repository.fullName}.git`,
    ssh_url: `git@github.com:${repository.fullName}.git`,
    clone_url: `${htmlUrl}.git`,
    svn_url: htmlUrl,
    mirror_url: null,
    homepage: null,
    language: null,
    forks: 0,
    forks_count: 0,
    stargazers_count: 0,
    watchers: 0,
    watchers_count: 0,
    size: 0,
    default_branch: repository.defaultBranch,
    open_issues: openIssues,
    open_issues_count: openIssues,
    is_template: false,
    topics: [],
    has_issues: true,
    has_projects: true,
    has_wiki: true,
    has_pages: false,
    has_downloads: true,
    has_discussions: false,
    archived: false,
    disabled: false,
    visibility: repository.private ? 'private' : 'public',
    license: null,
    allow_forking: true,
    web_commit_signoff_required: false,
    pushed_at: repository.pushedAt,
    created_at: repository.createdAt,
    updated_at: repository.updatedAt,
  };
}

/** Renders GET /repos/{owner}/{repo} (`full-repository`), with the caller's permissions. */
export function renderFullRepository(
  context: RenderContext,
  repository: RepositoryRecord,
  viewer: string,
): Record<string, unknown> {
  const role = context.state.readRole({ repo: repository.fullName, login: viewer });
  const rank = ['read', 'triage', 'write', 'maintain', 'admin'].indexOf(role ?? 'read');
  return {
    ...renderRepository(context, repository),
    permissions: { admin: rank >= 4, maintain: rank >= 3, push: rank >= 2, triage: rank >= 1, pull: true },
    allow_squash_merge: true,
    allow_merge_commit: true,
    allow_rebase_merge: true,
    allow_auto_merge: false,
    delete_branch_on_merge: false,
    network_count: 0,
    subscribers_count: 0,
  };
}
