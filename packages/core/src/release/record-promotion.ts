import type { Octokit } from '../action/context.js';
import type { Logger } from '../action/logger.js';
import { createPromotionDeployment } from '../github/create-deployment.js';
import { setDeploymentStatus } from '../github/deployment-status.js';
import type { PromotionTarget } from '../registry/plan-promotion.js';
import type { PromoteReleaseResult } from './promote-release.js';

/**
 * Records each environment tag a promotion moved as a GitHub Deployment (environment = the tag,
 * ref = the version), with the digests and the ones they replaced in its payload and a final
 * status, so the audit trail and any rollback can be read on GitHub. A failure to record only
 * warns: the images have already moved.
 */
export async function recordPromotion(input: {
  octokit: () => Promise<Octokit>;
  repo: { owner: string; repo: string };
  sourceTag: string;
  targets: readonly PromotionTarget[];
  result: PromoteReleaseResult;
  logUrl: string;
  log: Logger;
}): Promise<number[]> {
  const environments = input.targets.filter((t) => !t.immutable).map((t) => t.tag);
  if (environments.length === 0) return [];
  const ref = input.targets.find((t) => t.immutable)?.tag ?? input.sourceTag;
  const digests = Object.fromEntries(input.result.services.map((s) => [s.service, s.digest]));
  const previousDigests = Object.fromEntries(
    Object.entries(input.result.previousDigests).flatMap(([service, byTag]) =>
      Object.entries(byTag).map(([, digest]) => [service, digest]),
    ),
  );
  const ids: number[] = [];
  try {
    const octokit = await input.octokit();
    for (const environment of environments) {
      const id = await createPromotionDeployment({
        octokit,
        repo: input.repo,
        environment,
        ref,
        digests,
        previousDigests,
        production: /^prod(uction)?$/.test(environment),
        description: `${input.sourceTag} → ${environment}`,
      });
      await setDeploymentStatus({
        octokit,
        repo: input.repo,
        deploymentId: id,
        state: input.result.failure ? 'failure' : 'success',
        logUrl: input.logUrl,
        description: input.result.failure ? 'ECS did not run the promoted images' : `Runs ${input.sourceTag}`,
      });
      ids.push(id);
    }
  } catch (error) {
    const status = (error as { status?: number }).status;
    input.log.warning(
      `Could not record the promotion as a GitHub Deployment (${status ? `HTTP ${status}` : (error as Error).message}): give the token 'deployments: write', and make sure '${ref}' is a git ref of this repository`,
    );
  }
  return ids;
}
