import type { Octokit } from '../action/context.js';
import { readHttpStatus } from './http-status.js';
import type { RepoRef } from './repo-ref.js';

/** Repository roles allowed to run commands unless configured otherwise. */
export const DEFAULT_ALLOWED_ROLES: readonly string[] = ['write', 'maintain', 'admin'];

/** Whether a login may act, and why. */
export interface PermissionResult {
  allowed: boolean;
  /** The role GitHub reports (`role_name`, falling back to `permission`). */
  role?: string;
  reason: string;
}

const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;

/**
 * Reads a login's permission on the repository from
 * GET /repos/{owner}/{repo}/collaborators/{username}/permission: the exact login, never the
 * comment's author_association, never a search. `role_name` names the real role (maintain,
 * triage, or a custom role) while `permission` folds it into admin/write/read/none, so a
 * login is allowed when either is in `allowed`. Any API failure denies with "could not verify".
 */
export async function readPermission(input: {
  octokit: Octokit;
  repo: RepoRef;
  login: string;
  allowed?: readonly string[];
}): Promise<PermissionResult> {
  const allowed = new Set((input.allowed ?? DEFAULT_ALLOWED_ROLES).map((role) => role.toLowerCase()));
  if (!LOGIN.test(input.login)) return { allowed: false, reason: `${JSON.stringify(input.login)} is not a user login` };
  try {
    const { data } = await input.octokit.rest.repos.getCollaboratorPermissionLevel({
      ...input.repo,
      username: input.login,
    });
    const role = (data.role_name || data.permission).toLowerCase();
    const ok = allowed.has(role) || allowed.has(data.permission.toLowerCase());
    return {
      allowed: ok,
      role,
      reason: ok
        ? `@${input.login} has ${role} access`
        : `@${input.login} has ${role} access; running commands needs ${[...allowed].join(', ')}`,
    };
  } catch (error) {
    const status = readHttpStatus(error);
    return {
      allowed: false,
      reason: `could not verify @${input.login}'s permission${status ? ` (HTTP ${status})` : ''}`,
    };
  }
}
