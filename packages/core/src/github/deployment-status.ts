import type { Octokit } from '../action/context.js';
import type { RepoRef } from './repo-ref.js';
import { shortenText } from './truncate-text.js';

/** The deployment states we report. */
export type DeploymentState = 'in_progress' | 'success' | 'failure' | 'error' | 'inactive';

const MAX_DESCRIPTION = 140;
const MAX_PAGES = 10;

/**
 * Adds a status to a deployment: `in_progress` while rolling out, then `success` with the
 * preview URL (or `failure`). Descriptions are cut to GitHub's 140 characters.
 */
export async function setDeploymentStatus(input: {
  octokit: Octokit;
  repo: RepoRef;
  deploymentId: number;
  state: DeploymentState;
  environmentUrl?: string;
  logUrl?: string;
  description?: string;
}): Promise<void> {
  await input.octokit.rest.repos.createDeploymentStatus({
    ...input.repo,
    deployment_id: input.deploymentId,
    state: input.state,
    ...(input.environmentUrl ? { environment_url: input.environmentUrl } : {}),
    ...(input.logUrl ? { log_url: input.logUrl } : {}),
    ...(input.description ? { description: shortenText(input.description, MAX_DESCRIPTION) } : {}),
  });
}

/**
 * Marks every deployment to `environment` whose latest status is not already inactive as
 * inactive, so the pull request stops showing a live preview. Returns how many changed.
 */
export async function markDeploymentsInactive(input: {
  octokit: Octokit;
  repo: RepoRef;
  environment: string;
}): Promise<number> {
  const { octokit, repo, environment } = input;
  let changed = 0;
  let pages = 0;
  for await (const { data } of octokit.paginate.iterator(octokit.rest.repos.listDeployments, {
    ...repo,
    environment,
    per_page: 100,
  })) {
    for (const deployment of data) {
      const { data: statuses } = await octokit.rest.repos.listDeploymentStatuses({
        ...repo,
        deployment_id: deployment.id,
        per_page: 1,
      });
      if (statuses[0]?.state === 'inactive') continue;
      await octokit.rest.repos.createDeploymentStatus({ ...repo, deployment_id: deployment.id, state: 'inactive' });
      changed += 1;
    }
    pages += 1;
    if (pages >= MAX_PAGES) break;
  }
  return changed;
}
