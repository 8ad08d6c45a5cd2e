import type { ECSClient } from '@aws-sdk/client-ecs';
import type { Clock } from '../action/clock.js';
import { ConfigurationError } from '../action/errors.js';
import type { Logger } from '../action/logger.js';
import { redeployAndWait } from '../ecs/redeploy-and-wait.js';
import type { ServiceWaitOutcome } from '../ecs/wait-for-services.js';
import type { ManifestStore } from '../registry/manifest-store.js';
import { applyPromotion, type PromotionResult } from '../registry/apply-promotion.js';
import { copyManifest } from '../registry/copy-manifest.js';
import {
  assertNoConflicts,
  planPromotion,
  type PromotionPlan,
  type PromotionTarget,
} from '../registry/plan-promotion.js';
import { mapConcurrent, mapSettled } from '../util/map-concurrent.js';
import type { ServiceImage } from './service-images.js';

/** How the promoted images reach ECS. */
export interface EcsRollout {
  ecs: ECSClient;
  cluster: string;
  /** service (as in `services`) → ECS service name. */
  services: ReadonlyMap<string, string>;
  timeoutMs: number;
  verifyRunningDigest: boolean;
  rollbackOnFailure: boolean;
}

export interface PromoteReleaseRequest {
  images: readonly ServiceImage[];
  sourceTag: string;
  targets: readonly PromotionTarget[];
  dryRun: boolean;
  rollout?: EcsRollout;
}

export interface PromoteReleaseDeps {
  /** The manifest store for a registry host (one per host, reused). */
  storeFor(host: string): Promise<ManifestStore>;
  clock: Clock;
  log: Logger;
  /** Images handled at once. */
  concurrency?: number;
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

function collectPreviousDigests(plans: readonly PromotionPlan[], images: readonly ServiceImage[]) {
  const previous: Record<string, Record<string, string>> = {};
  plans.forEach((plan, i) => {
    for (const target of plan.targets) {
      if (target.action === 'move' && target.previousDigest) {
        (previous[images[i]!.service] ??= {})[target.tag] = target.previousDigest;
      }
    }
  });
  return previous;
}

async function rollOut(rollout: EcsRollout, digests: ReadonlyMap<string, string>, deps: PromoteReleaseDeps) {
  const targets = [...rollout.services].map(([service, ecsService]) => ({
    service: ecsService,
    ...(rollout.verifyRunningDigest && digests.get(service) ? { expectedDigest: digests.get(service)! } : {}),
  }));
  return redeployAndWait(rollout.ecs, {
    cluster: rollout.cluster,
    targets,
    clock: deps.clock,
    logger: deps.log,
    timeoutMs: rollout.timeoutMs,
  });
}

/** Points each moved environment tag back at the digest it held before. */
async function restorePreviousDigests(
  plans: readonly PromotionPlan[],
  previous: Record<string, Record<string, string>>,
  images: readonly ServiceImage[],
  deps: PromoteReleaseDeps,
  limit: number,
): Promise<Map<string, string>> {
  const restored = new Map<string, string>();
  await mapConcurrent(plans, limit, async (plan, i) => {
    const service = images[i]!.service;
    for (const [tag, digest] of Object.entries(previous[service] ?? {})) {
      const manifest = await plan.store.getManifest(plan.repository, digest);
      if (!manifest)
        throw new Error(`Cannot roll back ${imageName(images[i]!)}:${tag}: its previous manifest ${digest} is gone`);
      await copyManifest(plan.store, plan.repository, tag, manifest);
      deps.log.info(`Rolled back ${imageName(images[i]!)}:${tag} to ${digest}`);
      restored.set(service, digest);
    }
  });
  return restored;
}

/**
 * Promotes the exact source image of every service to the target tags (build once,
 * promote the same bytes), then redeploys ECS and proves it runs those digests. Every source is
 * resolved and every target checked before the first write; on an ECS failure the environment
 * tags can be pointed back at their previous digests and ECS redeployed.
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
  const previousDigests = collectPreviousDigests(plans, request.images);
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

  const applied = await mapConcurrent(plans, limit, (plan) => applyPromotion(plan));
  applied.forEach((r, i) => (services[i]!.result = r));
  if (!request.rollout) return result;

  const digests = new Map(services.map((s) => [s.service, s.digest]));
  result.rollout = await rollOut(request.rollout, digests, deps);
  const failed = result.rollout.filter((o) => o.state !== 'stable');
  if (failed.length === 0) {
    result.deployed = true;
    return result;
  }
  const summary = failed.map((o) => `${o.service} ${o.state}: ${o.reason}`).join('; ');
  if (!request.rollout.rollbackOnFailure || Object.keys(previousDigests).length === 0) {
    result.failure = `ECS did not run the promoted images: ${summary}`;
    return result;
  }
  const restored = await restorePreviousDigests(plans, previousDigests, request.images, deps, limit);
  result.rolledBack = true;
  result.rollbackRollout = await rollOut(request.rollout, restored, deps);
  const pairs = [...restored].map(([service, digest]) => `${service} ${digests.get(service)} → ${digest}`).join(', ');
  const after = result.rollbackRollout.every((o) => o.state === 'stable') ? 'stable again' : 'NOT stable either';
  result.failure = `ECS did not run the promoted images (${summary}); rolled back (${pairs}), ${after}`;
  return result;
}
