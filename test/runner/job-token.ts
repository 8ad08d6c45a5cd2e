import { randomBytes } from 'node:crypto';
import type { GitHubAdminClient } from '../standins/github/admin-client.js';
import type { Permissions } from './permissions.js';

/** What the runner asks the GitHub stand-in for: a token that answers 403 outside `permissions`. */
export interface ScopedTokenRequest {
  token: string;
  /** The bot the token authenticates as (`github-actions[bot]`). */
  login: string;
  /** `owner/name` the token is for. */
  repository: string;
  permissions: Permissions;
}

/** The admin operation the stand-in is expected to offer (added in the standins worktree). */
export const SCOPED_TOKEN_OPERATION = 'registerScopedToken';

/** A fresh installation-style token (`ghs_` and 36 characters), as GitHub mints one per job. */
export function createJobTokenValue(): string {
  return `ghs_${randomBytes(27).toString('base64url').slice(0, 36)}`;
}

/**
 * Mints a job's GITHUB_TOKEN and registers it with the GitHub stand-in scoped to the job's effective permissions,
 * through the admin call `registerScopedToken({ token, login, repository, permissions })`. A stand-in without that
 * operation is an error, never a silently unscoped token.
 */
export async function issueJobToken(
  admin: GitHubAdminClient,
  input: { repository: string; permissions: Permissions },
): Promise<string> {
  const request: ScopedTokenRequest = {
    token: createJobTokenValue(),
    login: 'github-actions[bot]',
    repository: input.repository,
    permissions: input.permissions,
  };
  try {
    await (admin as unknown as { call(op: string, body: unknown): Promise<unknown> }).call(
      SCOPED_TOKEN_OPERATION,
      request,
    );
  } catch (error) {
    if (/unknown admin operation/.test((error as Error).message)) {
      throw new Error(
        `the GitHub stand-in lacks scoped tokens (no admin operation '${SCOPED_TOKEN_OPERATION}'); the workflow runner cannot give a job a token limited to its permissions`,
        { cause: error },
      );
    }
    throw error;
  }
  return request.token;
}
