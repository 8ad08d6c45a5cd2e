import type { ECSClient } from '@aws-sdk/client-ecs';
import type { Clock } from '../action/clock.js';
import { describeError } from '../action/explain-failure.js';
import type { Logger } from '../action/logger.js';
import { isDeploymentUnderway, isEcsRollingBack } from '../ecs/judge-service-deployment.js';
import { redeployAndWait } from '../ecs/redeploy-and-wait.js';
import { readServiceName } from '../ecs/service-name.js';
import { stopServiceDeploymentWithRollback } from '../ecs/stop-service-deployment.js';
import { waitForServices, type ServiceWaitOutcome } from '../ecs/wait-for-services.js';
import type { ManifestStore } from '../registry/manifest-store.js';
import { restoreEnvTag, type RestoreOutcome } from '../registry/restore-env-tag.js';
import { mapConcurrent } from '../util/map-concurrent.js';

/** One environment tag this run moved: where it lives, what we put there and what it held before. */
export interface MovedTag {
  service: string;
  host: string;
  repository: string;
  tag: string;
  ours: string;
  previous: string;
}

/** Everything a rollback needs, as plain data (the post step reads it back from saved state). */
export interface RollbackPlan {
  tags: MovedTag[];
  cluster?: string;
  /** [service, ECS service name] pairs. */
  ecsServices: [string, string][];
}

/** What the rollback did to one ECS service. */
export interface EcsRollbackAction {
  /** The image's service, as in `services`. */
  service: string;
  /** The ECS service taken back (one image may run as several). */
  ecsService: string;
  how: 'stopped-with-rollback' | 'ecs-rolled-back' | 'redeployed' | 'left-alone';
  why: string;
}

/** The outcome of a rollback. */
export interface RollbackReport {
  tags: (MovedTag & { outcome: RestoreOutcome })[];
  ecs: EcsRollbackAction[];
  rollout: ServiceWaitOutcome[];
}

export interface RollBackReleaseDeps {
  storeFor(host: string): Promise<ManifestStore>;
  ecs?: ECSClient;
  clock: Clock;
  log: Logger;
  timeoutMs: number;
  verifyRunningDigest: boolean;
  /** False: judge the rollback's waits by the PRIMARY deployment (see EcsRollout.useDeploymentRecords). */
  useDeploymentRecords?: boolean;
}

async function restoreTags(plan: RollbackPlan, deps: RollBackReleaseDeps): Promise<RollbackReport['tags']> {
  return mapConcurrent(plan.tags, 4, async (moved) => {
    const store = await deps.storeFor(moved.host);
    const outcome = await restoreEnvTag(store, moved.repository, moved.tag, moved.ours, moved.previous);
    const image = `${moved.host}/${moved.repository}:${moved.tag}`;
    if (outcome.state === 'moved-by-someone-else') {
      deps.log.warning(
        `Left ${image} alone: it holds ${outcome.holds ?? 'nothing'} now, not ${moved.ours} as this run left it, so someone else moved it`,
      );
    } else deps.log.info(`Rolled back ${image} to ${moved.previous}${outcome.state === 'already' ? ' (already)' : ''}`);
    return { ...moved, outcome };
  });
}

/** How to take each ECS service back, from how its deployment ended. */
function chooseActions(
  plan: RollbackPlan,
  tags: RollbackReport['tags'],
  outcomes: readonly ServiceWaitOutcome[] | undefined,
): (EcsRollbackAction & { outcome?: ServiceWaitOutcome; previous?: string })[] {
  return plan.ecsServices.map(([service, ecsService]) => {
    const outcome = outcomes?.find((o) => o.service === readServiceName(ecsService));
    const mine = tags.filter((t) => t.service === service);
    const base = { service, ecsService, ...(outcome && { outcome }) };
    if (mine.length === 0) return { ...base, how: 'left-alone', why: 'no environment tag of it had a previous digest' };
    if (mine.some((t) => t.outcome.state === 'moved-by-someone-else')) {
      return { ...base, how: 'left-alone', why: 'someone else moved its tag since; their deployment is theirs' };
    }
    const previous = mine[0]!.previous;
    if (outcome?.serviceDeploymentArn && isEcsRollingBack(outcome.deploymentStatus)) {
      return {
        ...base,
        previous,
        how: 'ecs-rolled-back',
        why: `ECS is rolling back by itself (${outcome.deploymentStatus})`,
      };
    }
    if (outcome?.serviceDeploymentArn && isDeploymentUnderway(outcome.deploymentStatus)) {
      return { ...base, previous, how: 'stopped-with-rollback', why: 'its deployment was still under way' };
    }
    return { ...base, previous, how: 'redeployed', why: 'a new deployment of the restored tag' };
  });
}

/**
 * Takes a failed promotion back: every environment tag this run moved is restored to its
 * previous digest if it still holds ours ({@link restoreEnvTag}), then each ECS service goes
 * back the way its deployment allows: a deployment still under way is stopped with ROLLBACK
 * (ECS returns to the previous service revision, which keeps its digests), one ECS is already
 * rolling back is only followed, and any other (finished, stopped, or not known because the
 * wait itself failed) gets a new deployment of the restored tag. All of them are waited for.
 * A service whose tag someone else moved meanwhile is left alone. Errors are thrown; the caller
 * says what state production is in.
 */
export async function rollBackRelease(
  plan: RollbackPlan,
  outcomes: readonly ServiceWaitOutcome[] | undefined,
  deps: RollBackReleaseDeps,
): Promise<RollbackReport> {
  const tags = await restoreTags(plan, deps);
  const report: RollbackReport = { tags, ecs: [], rollout: [] };
  if (!plan.cluster || !deps.ecs || plan.ecsServices.length === 0) return report;
  const ecs = deps.ecs;
  const cluster = plan.cluster;
  const actions = chooseActions(plan, tags, outcomes);

  for (const action of actions.filter((a) => a.how === 'stopped-with-rollback')) {
    try {
      await stopServiceDeploymentWithRollback(ecs, action.outcome!.serviceDeploymentArn!);
      deps.log.info(`Stopped ${action.ecsService}'s deployment with rollback`);
    } catch (error) {
      // It may have finished or failed meanwhile; a new deployment of the restored tag still works.
      deps.log.warning(
        `Could not stop ${action.ecsService}'s deployment (${describeError(error)}); redeploying instead`,
      );
      action.how = 'redeployed';
      action.why = 'its deployment could not be stopped';
    }
  }
  report.ecs = actions.map(({ service, ecsService, how, why }) => ({ service, ecsService, how, why }));

  const follow = actions.filter((a) => a.how === 'stopped-with-rollback' || a.how === 'ecs-rolled-back');
  const redeploy = actions.filter((a) => a.how === 'redeployed');
  const common = {
    cluster,
    clock: deps.clock,
    logger: deps.log,
    timeoutMs: deps.timeoutMs,
    ...(deps.useDeploymentRecords === false && { useDeploymentRecords: false }),
  };
  const [followed, redeployed] = await Promise.all([
    follow.length === 0
      ? []
      : waitForServices(ecs, {
          ...common,
          targets: follow.map((a) => ({
            service: a.ecsService,
            serviceDeploymentArn: a.outcome!.serviceDeploymentArn!,
            goal: 'rollback' as const,
          })),
        }),
    redeploy.length === 0
      ? []
      : redeployAndWait(ecs, {
          ...common,
          targets: redeploy.map((a) => ({
            service: a.ecsService,
            ...(deps.verifyRunningDigest && a.previous && { expectedDigest: a.previous }),
          })),
        }),
  ]);
  report.rollout = [...followed, ...redeployed];
  return report;
}

/**
 * The one paragraph a person needs when a rollback could not finish: what each tag holds, and
 * the commands that finish the job by hand.
 */
export function describeManualRecovery(plan: RollbackPlan): string {
  const tags = plan.tags.map(
    (t) => `${t.host}/${t.repository}:${t.tag} may still hold ${t.ours} (it held ${t.previous})`,
  );
  const steps = plan.tags.map(
    (t) =>
      `skopeo copy --all docker://${t.host}/${t.repository}@${t.previous} docker://${t.host}/${t.repository}:${t.tag}`,
  );
  if (plan.cluster) {
    for (const [, ecsService] of plan.ecsServices) {
      steps.push(`aws ecs update-service --cluster ${plan.cluster} --service ${ecsService} --force-new-deployment`);
    }
  }
  const state = tags.length > 0 ? tags.join('; ') : 'no environment tag had a previous digest';
  return `State: ${state}. Re-run this job to roll back again (it reads the previous digests from its GitHub Deployment), or by hand: ${steps.join(' && ') || 'nothing to do'}`;
}
