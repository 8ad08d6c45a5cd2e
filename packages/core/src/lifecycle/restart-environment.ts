import type { ECSClient } from '@aws-sdk/client-ecs';
import type { Clock } from '../action/clock.js';
import { ConfigurationError } from '../action/errors.js';
import type { Logger } from '../action/logger.js';
import { listOwnedServices } from '../ecs/list-owned-services.js';
import { redeployAndWait } from '../ecs/redeploy-and-wait.js';
import type { ServiceWaitOutcome } from '../ecs/wait-for-services.js';

/** What `/restart` asks for. */
export interface RestartEnvironmentRequest {
  ecs: ECSClient;
  cluster: string;
  repo: string;
  pr: number;
  clock: Clock;
  log?: Logger;
  /** Give up waiting after this long; default 15 minutes. */
  timeoutMs?: number;
}

/**
 * Implements `/restart`: a new deployment of every running service of the PR's environment, with
 * the task definition it already runs, waited for until its tasks are up. Only services this
 * repository's tags say belong to the PR are touched.
 * @throws ConfigurationError when the PR has no environment, or it is hibernated (nothing runs).
 */
export async function restartEnvironment(request: RestartEnvironmentRequest): Promise<ServiceWaitOutcome[]> {
  const services = await listOwnedServices(request.ecs, request.cluster, { repo: request.repo, pr: request.pr });
  if (services.length === 0) {
    throw new ConfigurationError(
      `Pull request #${request.pr} has no preview environment to restart: comment /deploy first`,
    );
  }
  const running = services.filter((s) => s.status === 'ACTIVE' && (s.service?.desiredCount ?? 0) > 0);
  if (running.length === 0) {
    throw new ConfigurationError(
      `Pull request #${request.pr}'s preview is hibernated (every service at 0 tasks): comment /deploy to wake it`,
    );
  }
  return redeployAndWait(request.ecs, {
    cluster: request.cluster,
    targets: running.map((s) => ({ service: s.name })),
    clock: request.clock,
    ...(request.log ? { logger: request.log } : {}),
    ...(request.timeoutMs !== undefined ? { timeoutMs: request.timeoutMs } : {}),
    // The diagnostics' task and log reads would widen the cleanup role for a rarely useful detail.
    diagnostics: false,
  });
}
