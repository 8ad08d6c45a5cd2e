import { Kind, parse, visit, type DocumentNode } from 'graphql';

/** A workflow permission level (`permissions:` in a workflow). */
export type PermissionLevel = 'read' | 'write' | 'none';

/** A job's GITHUB_TOKEN permissions by scope, spelled as in a workflow (`pull-requests`, `contents`, …). */
export type TokenPermissions = Record<string, PermissionLevel>;

/** What one endpoint needs: any one of the scopes at the level (GitHub lists some under two, e.g. issues or pull requests). */
export interface RequiredPermission {
  anyOf: string[];
  level: 'read' | 'write';
}

const read = (...anyOf: string[]): RequiredPermission => ({ anyOf, level: 'read' });
const write = (...anyOf: string[]): RequiredPermission => ({ anyOf, level: 'write' });
const NONE: RequiredPermission = { anyOf: [], level: 'read' };
const COMMENTS_READ = read('issues', 'pull-requests');
const COMMENTS_WRITE = write('issues', 'pull-requests');

/**
 * The permission each REST route of the stand-in needs, from GitHub's "Permissions required for GitHub
 * Apps" / the fine-grained token section of each endpoint's reference page. Issue comments, reactions and
 * the timeline are listed under both Issues and Pull requests: either grants them (how a workflow with only
 * `pull-requests: write` comments on a pull request). Keyed `METHOD template`.
 */
const REST_PERMISSIONS: Record<string, RequiredPermission> = {
  'GET /rate_limit': NONE,
  'GET /user': NONE, // refused to workflow tokens by the route itself
  'GET /repos/{owner}/{repo}': read('metadata'),
  'GET /repos/{owner}/{repo}/collaborators/{username}/permission': read('metadata'),
  'POST /repos/{owner}/{repo}/check-runs': write('checks'),
  'GET /repos/{owner}/{repo}/check-runs/{check_run_id}': read('checks'),
  'PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}': write('checks'),
  'GET /repos/{owner}/{repo}/commits/{ref}/check-runs': read('checks'),
  'POST /repos/{owner}/{repo}/statuses/{sha}': write('statuses'),
  'GET /repos/{owner}/{repo}/commits/{ref}/statuses': read('statuses'),
  'GET /repos/{owner}/{repo}/issues/{issue_number}/comments': COMMENTS_READ,
  'POST /repos/{owner}/{repo}/issues/{issue_number}/comments': COMMENTS_WRITE,
  'GET /repos/{owner}/{repo}/issues/comments/{comment_id}': COMMENTS_READ,
  'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}': COMMENTS_WRITE,
  'DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}': COMMENTS_WRITE,
  'GET /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions': COMMENTS_READ,
  'POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions': COMMENTS_WRITE,
  'GET /repos/{owner}/{repo}/issues/{issue_number}/timeline': COMMENTS_READ,
  'GET /repos/{owner}/{repo}/issues/{issue_number}': read('issues', 'pull-requests'),
  'GET /repos/{owner}/{repo}/pulls': read('pull-requests'),
  'GET /repos/{owner}/{repo}/pulls/{pull_number}': read('pull-requests'),
  'POST /repos/{owner}/{repo}/deployments': write('deployments'),
  'GET /repos/{owner}/{repo}/deployments': read('deployments'),
  'GET /repos/{owner}/{repo}/deployments/{deployment_id}': read('deployments'),
  'DELETE /repos/{owner}/{repo}/deployments/{deployment_id}': write('deployments'),
  'GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses': read('deployments'),
  'GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses/{status_id}': read('deployments'),
  'POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses': write('deployments'),
  'GET /repos/{owner}/{repo}/environments': read('actions'),
  'GET /repos/{owner}/{repo}/environments/{environment_name}': read('actions'),
  // administration is not a scope a workflow's GITHUB_TOKEN can hold
  'PUT /repos/{owner}/{repo}/environments/{environment_name}': write('administration'),
  'DELETE /repos/{owner}/{repo}/environments/{environment_name}': write('administration'),
  'GET /repos/{owner}/{repo}/git/matching-refs/{ref}': read('contents'),
  'GET /repos/{owner}/{repo}/git/ref/{ref}': read('contents'),
  'POST /repos/{owner}/{repo}/git/refs': write('contents'),
  'GET /repos/{owner}/{repo}/git/tags/{tag_sha}': read('contents'),
};

/**
 * The permission a GraphQL field needs, for the fields the stand-in's schema has: reading a repository is
 * metadata, its pull requests pull-requests, minimizing a comment writing issues or pull requests.
 * `viewer` is refused to workflow tokens by its resolver; `rateLimit` is free.
 */
const GRAPHQL_FIELD_PERMISSIONS: Record<string, RequiredPermission> = {
  repository: read('metadata'),
  pullRequest: read('pull-requests'),
  pullRequests: read('pull-requests'),
  minimizeComment: COMMENTS_WRITE,
};

/** The permission a REST route needs; undefined for a route missing from the table (denied to scoped tokens). */
export function restPermission(method: string, template: string): RequiredPermission | undefined {
  return REST_PERMISSIONS[`${method} ${template}`];
}

/** Every `METHOD template` the table maps (a test checks it covers every route the stand-in serves). */
export function mappedRestRoutes(): string[] {
  return Object.keys(REST_PERMISSIONS);
}

/** GitHub grants every installation token metadata: read, whatever the workflow says. */
function levelOf(permissions: TokenPermissions, scope: string): PermissionLevel {
  const level = permissions[scope] ?? permissions[scope.replace(/-/g, '_')] ?? 'none';
  return scope === 'metadata' && level === 'none' ? 'read' : level;
}

/** True when the token's permissions meet what an endpoint needs (write includes read). */
export function grants(permissions: TokenPermissions, required: RequiredPermission): boolean {
  if (required.anyOf.length === 0) return true;
  return required.anyOf.some((scope) => {
    const level = levelOf(permissions, scope);
    return level === 'write' || (level === 'read' && required.level === 'read');
  });
}

/**
 * The first field of a GraphQL query the token may not use, or undefined when it may use them all.
 * An unparseable query returns undefined: the endpoint answers its own parse error.
 */
export function deniedGraphQLField(query: string, permissions: TokenPermissions): string | undefined {
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch {
    return undefined;
  }
  let denied: string | undefined;
  visit(document, {
    [Kind.FIELD](node) {
      const required = GRAPHQL_FIELD_PERMISSIONS[node.name.value];
      if (denied === undefined && required && !grants(permissions, required)) denied = node.name.value;
    },
  });
  return denied;
}
