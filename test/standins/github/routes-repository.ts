import { GitHubApiError, notAccessibleByIntegration, notFound } from './api-error.js';
import { renderFullRepository } from './render-repository.js';
import { renderPrivateUser, renderSimpleUser } from './render-user.js';
import { defineRoute, readRepoName, type Route } from './router.js';

const permissionOfRole = { admin: 'admin', maintain: 'write', write: 'write', triage: 'read', read: 'read' } as const;

/** GET /user, GET /repos/{owner}/{repo} and the collaborator permission check. */
export function createRepositoryRoutes(): Route[] {
  return [
    defineRoute('GET', '/user', (request, context) => {
      if (request.workflowToken) throw notAccessibleByIntegration();
      return { status: 200, body: renderPrivateUser(context, request.user) };
    }),
    defineRoute('GET', '/repos/{owner}/{repo}', (request, context) => {
      const repository = context.state.readRepository(readRepoName(request));
      return { status: 200, body: renderFullRepository(context, repository, request.user.login) };
    }),
    defineRoute('GET', '/repos/{owner}/{repo}/collaborators/{username}/permission', (request, context) => {
      const repo = readRepoName(request);
      const user = context.state.readUser(request.params.username ?? '');
      if (!user) throw new GitHubApiError(404, `${request.params.username} is not a user`);
      const role = context.state.readRole({ repo, login: user.login });
      if (!role) throw notFound();
      const rank = ['read', 'triage', 'write', 'maintain', 'admin'].indexOf(role);
      const collaborator = {
        ...renderSimpleUser(context, user),
        permissions: { admin: rank >= 4, maintain: rank >= 3, push: rank >= 2, triage: rank >= 1, pull: true },
        role_name: role,
      };
      return { status: 200, body: { permission: permissionOfRole[role], role_name: role, user: collaborator } };
    }),
  ];
}
