import type { Octokit } from '../action/context.js';
import type { Logger } from '../action/logger.js';
import { readHttpStatus } from './http-status.js';
import type { RepoRef } from './repo-ref.js';

/** What became of the environment. `forbidden` means the token may not delete it (a warning was logged). */
export type DeleteEnvironmentResult = 'deleted' | 'absent' | 'forbidden';

/**
 * Deletes a deployment environment. Reading it first tells "already gone" from "not allowed",
 * since GitHub answers both with 404 for some tokens. Deleting needs the repository
 * Administration write permission, which the workflow's GITHUB_TOKEN never has; without it
 * we warn, naming that permission, rather than fail the cleanup. A job token without
 * `actions: read` may not even read it (403): that is the same "not allowed", not a failure.
 */
export async function deleteEnvironment(input: {
  octokit: Octokit;
  repo: RepoRef;
  name: string;
  log: Logger;
}): Promise<DeleteEnvironmentResult> {
  const { octokit, repo, name, log } = input;
  try {
    await octokit.rest.repos.getEnvironment({ ...repo, environment_name: name });
  } catch (error) {
    const status = readHttpStatus(error);
    if (status === 404) return 'absent';
    if (status !== 403) throw error;
    warnForbidden(log, name, status);
    return 'forbidden';
  }
  try {
    await octokit.rest.repos.deleteAnEnvironment({ ...repo, environment_name: name });
    return 'deleted';
  } catch (error) {
    const status = readHttpStatus(error);
    if (status !== 403 && status !== 404) throw error;
    warnForbidden(log, name, status);
    return 'forbidden';
  }
}

/** The one warning for an environment the token may not delete, naming the permission it lacks. */
function warnForbidden(log: Logger, name: string, status: number): void {
  log.warning(
    `Could not delete environment ${name} (HTTP ${status}): the token needs the "Administration" repository permission (write), which GITHUB_TOKEN cannot have; use a GitHub App or fine-grained token with it, or delete the environment by hand`,
  );
}
