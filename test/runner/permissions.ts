import { isMapping, isString } from '@actions/workflow-parser';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';
import { UnsupportedConstructError } from './expressions.js';

export type PermissionLevel = 'read' | 'write' | 'none';
export type Permissions = Record<string, PermissionLevel>;

/** The scopes GITHUB_TOKEN has ("Permissions for the GITHUB_TOKEN"); metadata is always read. */
export const PERMISSION_SCOPES = [
  'actions',
  'attestations',
  'checks',
  'contents',
  'deployments',
  'discussions',
  'id-token',
  'issues',
  'models',
  'packages',
  'pages',
  'pull-requests',
  'repository-projects',
  'security-events',
  'statuses',
] as const;

/** The repository default we assume: "restricted" (contents and packages read, metadata read). */
export const RESTRICTED_DEFAULT: Permissions = { contents: 'read', packages: 'read' };

function allScopes(level: PermissionLevel): Permissions {
  // id-token has no 'read': read-all leaves it none, write-all makes it write.
  return Object.fromEntries(
    PERMISSION_SCOPES.map((scope) => [scope, scope === 'id-token' && level === 'read' ? 'none' : level]),
  );
}

function readPermissions(token: TemplateToken, where: string): Permissions {
  if (isString(token)) {
    if (token.value === 'read-all') return allScopes('read');
    if (token.value === 'write-all') return allScopes('write');
    throw new UnsupportedConstructError(
      `${where}: permissions '${token.value}' is not read-all, write-all or a mapping`,
    );
  }
  if (!isMapping(token)) throw new UnsupportedConstructError(`${where}: permissions must be a mapping`);
  const given: Permissions = {};
  for (const pair of token) {
    const level = pair.value.toString();
    if (level !== 'read' && level !== 'write' && level !== 'none') {
      throw new UnsupportedConstructError(`${where}: permissions.${pair.key.toString()} is '${level}'`);
    }
    given[pair.key.toString()] = level;
  }
  return given;
}

/**
 * A job's effective token permissions: the job's `permissions:` if it has one, else the workflow's, else the
 * repository default; every scope not named is none, and metadata is always read.
 */
export function resolveJobPermissions(
  workflowPermissions: TemplateToken | undefined,
  jobPermissions: TemplateToken | undefined,
  where: string,
): Permissions {
  const chosen = jobPermissions ?? workflowPermissions;
  const named = chosen ? readPermissions(chosen, where) : RESTRICTED_DEFAULT;
  return { ...allScopes('none'), ...named, metadata: 'read' };
}
