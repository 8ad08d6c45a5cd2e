import type { ECSClient } from '@aws-sdk/client-ecs';
import type { Clock } from '../action/clock.js';
import { ConfigurationError } from '../action/errors.js';
import type { Logger } from '../action/logger.js';
import { redeployAndWait } from '../ecs/redeploy-and-wait.js';
import type { ServiceWaitOutcome } from '../ecs/wait-for-services.js';
import type { ManifestStore } from '../registry/manifest-store.js';
import { applyPromotion, type PromotionResult } from '../registry/apply-promotion.js';
import { readIndexChildren } from '../registry/verify-index-children.js';
import { describeError } from '../action/explain-failure.js';
import {
  describeManualRecovery,
  rollBackRelease,
  type RollbackPlan,
  type RollbackReport,
} from './roll-back-release.js';
import {
  assertNoConflicts,
  planPromotion,
  type PromotionPlan,
  type PromotionTarget,
} from '../registry/plan-promotion.js';
import { mapConcurrent, mapSettled } from '../util/map-concurrent.js';
import type { EcsServiceMapping } from './ecs-service-mapping.js';
import type { ServiceImage } from './service-images.js';

/** How the promoted images reach ECS. */
export interface EcsRollout {
  ecs: ECSClient;
  /**
   * A new ECS client for the rollback when following the deployment failed (expired
   * credentials, an outage): built again from the environment, so it reads credentials afresh.
   */
  freshEcs?: () => ECSClient;
  cluster: string;
  /** [service (as in `services`), ECS service name] pairs; one image may run as several ECS services. */
  services: EcsServiceMapping;
  timeoutMs: number;
  verifyRunningDigest: boolean;
  rollbackOnFailure: boolean;
  /**
   * Judge the waits by ECS's service deployment records (default) or, with false, by the service's
   * PRIMARY deployment as before records existed. No action input sets it: bench/promotion-wait.ts
   * times both waiters on the same promotions.
   */
  useDeploymentRecords?: boolean;
}

export interface PromoteReleaseRequest {
  images: readonly ServiceImage[];
  sourceTag: string;
  targets: readonly PromotionTarget[];
  dryRun: boolean;
  rollout?: EcsRollout;
  /**
   * service → { env tag → previous digest } recorded by an earlier run of this promotion (its
   * GitHub Deployment): on a re-run the tags already hold the source, so the plan cannot tell
   * what they held before, and a rollback needs it.
   */
  recordedPreviousDigests?: Record<string, Record<string, string>>;
}

export interface PromoteReleaseDeps {
  /** The manifest store for a registry host (one per host, reused). */
  storeFor(host: string): Promise<ManifestStore>;
  clock: Clock;
  log: Logger;
  /** Images handled at once. */
  concurrency?: number;
  /**
   * Called once everything is checked and before the first write, with the previous digests:
   * where they are recorded (the GitHub Deployment), so a re-run can still roll back after a crash.
   */
  beforeWrite?: (result: PromoteReleaseResult) => Promise<void>;
  /**
   * Called with the rollback plan before the redeploy, and with undefined once the outcome is
   * settled: the action saves it for its post step, which finishes the rollback after a cancel.
   */
  saveRollbackPlan?: (plan: RollbackPlan | undefined) => void;
}

/** One service after promotion (or, in a dry run, as planned). */
export interface PromotedService {
  service: string;
  image: string;
  digest: string;
  plan: PromotionPlan['targets'];
  result?: PromotionResult;
}

export interface PromoteReleaseResult {
  services: PromotedService[];
  /** service → { env tag → digest it held before } for tags that moved. */
  previousDigests: Record<string, Record<string, string>>;
  rollout: ServiceWaitOutcome[];
  deployed: boolean;
  rolledBack: boolean;
  rollbackRollout: ServiceWaitOutcome[];
  /** What the rollback did, when it ran. */
  rollback?: RollbackReport;
  /** Set when ECS did not run the promoted images: what failed, and what the rollback did. */
  failure?: string;
}

function imageName(image: ServiceImage): string {
  return `${image.image.host}/${image.image.repository}`;
}

/** Resolves every source and checks every target of every service before anything is written. */
async function planAll(
  request: PromoteReleaseRequest,
  deps: PromoteReleaseDeps,
  limit: number,
): Promise<PromotionPlan[]> {
  const settled = await mapSettled(request.images, limit, async (image) =>
    planPromotion(await deps.storeFor(image.image.host), {
      repository: image.image.repository,
      sourceReference: request.sourceTag,
      targets: request.targets,
    }),
  );
  const failures = settled.flatMap((s, i) =>
    s.status === 'rejected' ? [{ image: request.images[i]!, reason: s.reason as unknown }] : [],
  );
  const ours = failures.find((f) => !(f.reason instanceof ConfigurationError));
  if (ours) throw ours.reason;
  if (failures.length > 0) {
    throw new ConfigurationError(
      `Nothing was written: ${failures.map((f) => `${f.image.service}: ${(f.reason as Error).message}`).join('; ')}`,
    );
  }
  const plans = settled.map((s) => (s as PromiseFulfilledResult<PromotionPlan>).value);
  assertNoConflicts(plans);
  return plans;
}

function collectPreviousDigests(
  plans: readonly PromotionPlan[],
  images: readonly ServiceImage[],
  recorded: PromoteReleaseRequest['recordedPreviousDigests'],
) {
  const previous: Record<string, Record<string, string>> = {};
  plans.forEach((plan, i) => {
    const service = images[i]!.service;
    for (const target of plan.targets) {
      if (target.action === 'move' && target.previousDigest) {
        (previous[service] ??= {})[target.tag] = target.previousDigest;
      }
      // A re-run finds the tag already moved: what it held before comes from the first run's record.
      const before = recorded?.[service]?.[target.tag];
      if (target.action === 'noop' && !target.immutable && before && before !== plan.source.digest) {
        (previous[service] ??= {})[target.tag] = before;
      }
    }
  });
  return previous;
}

function acceptedDigests(plan: PromotionPlan): string[] {
  // The runnable platform images of an index; attestation manifests (platform unknown) never run.
  return readIndexChildren(plan.source)
    .filter((c) => c.platform?.os && c.platform.os !== 'unknown')
    .map((c) => c.digest);
}

async function rollOut(
  rollout: EcsRollout,
  plans: readonly PromotionPlan[],
  images: readonly ServiceImage[],
  deps: PromoteReleaseDeps,
) {
  const targets = rollout.services.map(([service, ecsService]) => {
    const plan = plans[images.findIndex((i) => i.service === service)];
    if (!rollout.verifyRunningDigest || !plan) return { service: ecsService };
    return { service: ecsService, expectedDigest: plan.source.digest, alsoAcceptDigests: acceptedDigests(plan) };
  });
  return redeployAndWait(rollout.ecs, {
    cluster: rollout.cluster,
    targets,
    clock: deps.clock,
    logger: deps.log,
    timeoutMs: rollout.timeoutMs,
    ...(rollout.useDeploymentRecords === false && { useDeploymentRecords: false }),
  });
}

/** The tags this run moves (or, on a re-run, moved before), as the rollback needs them. */
export function toRollbackPlan(
  services: readonly PromotedService[],
  images: readonly ServiceImage[],
  previousDigests: PromoteReleaseResult['previousDigests'],
  rollout: EcsRollout | undefined,
): RollbackPlan {
  const tags = services.flatMap((s) => {
    const image = images.find((i) => i.service === s.service)!.image;
    return Object.entries(previousDigests[s.service] ?? {}).map(([tag, previous]) => ({
      service: s.service,
      host: image.host,
      repository: image.repository,
      tag,
      ours: s.digest,
      previous,
    }));
  });
  return {
    tags,
    ...(rollout && { cluster: rollout.cluster }),
    ecsServices: rollout
      ? rollout.services.map(([service, ecsService]): [string, string] => [service, ecsService])
      : [],
  };
}

function describeRollback(report: RollbackReport): string {
  const tags = report.tags
    .map(
      (t) =>
        `${t.service}:${t.tag} ${t.outcome.state === 'moved-by-someone-else' ? 'left alone (moved by someone else)' : `→ ${t.previous}`}`,
    )
    .join(', ');
  const ecs = report.ecs.map((a) => `${a.ecsService} ${a.how}`).join(', ');
  const after =
    report.rollout.length === 0
      ? ''
      : report.rollout.every((o) => o.state === 'stable')
        ? ', stable again'
        : `, NOT stable either (${report.rollout
            .filter((o) => o.state !== 'stable')
            .map((o) => `${o.service} ${o.state}: ${o.reason}`)
            .join('; ')})`;
  return `rolled back (${tags || 'no tag to restore'}${ecs ? `; ECS: ${ecs}` : ''})${after}`;
}

/**
 * Promotes the exact source image of every service to the target tags (build once,
 * promote the same bytes), then redeploys ECS and proves it runs those digests. Every source is
 * resolved and every target checked before the first write. Task definitions are never
 * registered: the tags move and each service gets a forced new deployment of the task definition
 * it already runs (ECS resolves the tag to a digest at deployment start and records it in the
 * service revision, which is what is verified). On an ECS failure, or when following the
 * deployment fails, {@link rollBackRelease} takes the tags and services back.
 * @throws ConfigurationError (nothing written) for a missing source or an immutable-tag conflict.
 * An ECS failure is returned in `failure` (after any rollback), so the caller can still report
 * outputs and the summary before failing the step.
 */
export async function promoteRelease(
  request: PromoteReleaseRequest,
  deps: PromoteReleaseDeps,
): Promise<PromoteReleaseResult> {
  const limit = deps.concurrency ?? 4;
  const plans = await planAll(request, deps, limit);
  const previousDigests = collectPreviousDigests(plans, request.images, request.recordedPreviousDigests);
  const services: PromotedService[] = plans.map((plan, i) => ({
    service: request.images[i]!.service,
    image: imageName(request.images[i]!),
    digest: plan.source.digest,
    plan: plan.targets,
  }));
  const result: PromoteReleaseResult = {
    services,
    previousDigests,
    rollout: [],
    deployed: false,
    rolledBack: false,
    rollbackRollout: [],
  };
  if (request.dryRun) return result;
  await deps.beforeWrite?.(result);

  const applied = await mapConcurrent(plans, limit, (plan) => applyPromotion(plan));
  applied.forEach((r, i) => (services[i]!.result = r));
  const { rollout } = request;
  if (!rollout) return result;

  const rollbackPlan = toRollbackPlan(services, request.images, previousDigests, rollout);
  deps.saveRollbackPlan?.(rollbackPlan);
  let waitError: unknown;
  try {
    result.rollout = await rollOut(rollout, plans, request.images, deps);
  } catch (error) {
    waitError = error;
  }
  const failed = result.rollout.filter((o) => o.state !== 'stable');
  if (waitError === undefined && failed.length === 0) {
    result.deployed = true;
    deps.saveRollbackPlan?.(undefined);
    return result;
  }
  const summary =
    waitError === undefined
      ? failed.map((o) => `${o.service} ${o.state}: ${o.reason}`).join('; ')
      : `following the deployment failed: ${describeError(waitError)}`;
  if (!rollout.rollbackOnFailure || rollbackPlan.tags.length === 0) {
    deps.saveRollbackPlan?.(undefined);
    result.failure = `ECS did not run the promoted images: ${summary}${rollout.rollbackOnFailure ? '; nothing to roll back to (no environment tag held a previous digest)' : ''}`;
    return result;
  }
  // After a failed wait the client itself may be what failed (expired credentials): use a new one.
  const ecs = waitError !== undefined && rollout.freshEcs ? rollout.freshEcs() : rollout.ecs;
  try {
    result.rollback = await rollBackRelease(rollbackPlan, waitError === undefined ? result.rollout : undefined, {
      storeFor: deps.storeFor,
      ecs,
      clock: deps.clock,
      log: deps.log,
      timeoutMs: rollout.timeoutMs,
      verifyRunningDigest: rollout.verifyRunningDigest,
      ...(rollout.useDeploymentRecords === false && { useDeploymentRecords: false }),
    });
  } catch (error) {
    throw new Error(
      `ECS did not run the promoted images (${summary}) and the rollback failed too (${describeError(error)}). ${describeManualRecovery(rollbackPlan)}`,
      { cause: error },
    );
  }
  deps.saveRollbackPlan?.(undefined);
  result.rolledBack = true;
  result.rollbackRollout = result.rollback.rollout;
  result.failure = `ECS did not run the promoted images (${summary}); ${describeRollback(result.rollback)}`;
  return result;
}
