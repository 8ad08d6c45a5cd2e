import type { ECSClient } from '@aws-sdk/client-ecs';
import { redeployServices } from './redeploy-services.js';
import {
  waitForServices,
  type ServiceWaitOutcome,
  type ServiceWaitTarget,
  type WaitForServicesOptions,
} from './wait-for-services.js';

/** Options for {@link redeployAndWait}: the waiter's options, with targets that carry no deployment id yet. */
export interface RedeployAndWaitOptions extends Omit<WaitForServicesOptions, 'targets'> {
  targets: readonly Omit<ServiceWaitTarget, 'deploymentId' | 'startedAt' | 'taskDefinition' | 'serviceDeploymentArn'>[];
  /** UpdateService calls in flight at once; default 5. */
  concurrency?: number;
}

/**
 * Forces a new deployment of every target and waits for exactly those deployments: by the
 * service deployment record each UpdateService started where ECS keeps records, else by the
 * deployment id UpdateService answered. Promotion
 * uses it once; a rollback re-points the image tag and calls it again.
 */
export async function redeployAndWait(ecs: ECSClient, options: RedeployAndWaitOptions): Promise<ServiceWaitOutcome[]> {
  const redeployed = await redeployServices(
    ecs,
    options.cluster,
    options.targets.map((t) => t.service),
    { concurrency: options.concurrency ?? 5, now: () => options.clock.now() },
  );
  const targets = options.targets.map((target, i): ServiceWaitTarget => {
    const started = redeployed[i];
    if (!started) return target;
    return {
      ...target,
      deploymentId: started.deploymentId,
      startedAt: started.startedAt,
      ...(started.taskDefinition && { taskDefinition: started.taskDefinition }),
    };
  });
  return waitForServices(ecs, { ...options, targets });
}
