import { ConfigurationError } from '../action/errors.js';
import { mapConcurrent } from '../util/map-concurrent.js';
import { classifyTarget, type TargetAction } from './classify-target.js';
import type { Manifest, ManifestStore } from './manifest-store.js';
import { validateTag } from './validate-tag.js';

/** A tag to point at the source, and whether it may move once it exists. */
export interface PromotionTarget {
  tag: string;
  /** True for version tags (never moved), false for environment tags such as `prod`. */
  immutable: boolean;
}

/** Retagging inside one repository: the source (tag or digest) and the tags it should also carry. */
export interface PromotionRequest {
  repository: string;
  sourceReference: string;
  targets: readonly PromotionTarget[];
}

/** The decision for one target tag. */
export interface PlannedTarget extends PromotionTarget {
  action: TargetAction;
  /** What the tag held before promotion (moved env tags and no-ops). */
  previousDigest?: string;
}

/** Everything known before any write: the source manifest as stored and a decision per target. */
export interface PromotionPlan {
  store: ManifestStore;
  repository: string;
  sourceReference: string;
  source: Manifest;
  targets: PlannedTarget[];
}

/** Requests in flight per image while checking its targets. */
const TARGET_CONCURRENCY = 8;

/**
 * Reads the source manifest (one GET) and checks every target tag (one HEAD each), writing nothing.
 * Conflicts are returned in the plan, not thrown, so a caller can check every service before any write.
 * @throws ConfigurationError when the source does not exist or a target tag is invalid.
 */
export async function planPromotion(store: ManifestStore, request: PromotionRequest): Promise<PromotionPlan> {
  request.targets.forEach((t) => validateTag(t.tag, 'Target tag'));
  // The target checks do not need the source digest to be sent, only to be judged: run them together.
  const [source, current] = await Promise.all([
    store.getManifest(request.repository, request.sourceReference),
    mapConcurrent(request.targets, TARGET_CONCURRENCY, (target) => store.headManifest(request.repository, target.tag)),
  ]);
  if (!source) {
    const at = request.sourceReference.includes(':') ? '@' : ':';
    throw new ConfigurationError(
      `Source image ${store.host}/${request.repository}${at}${request.sourceReference} does not exist: push it first, or fix the source tag`,
    );
  }
  const targets = request.targets.map((target, i) => ({
    ...target,
    ...classifyTarget(current[i] ?? null, source.digest, target.immutable),
  }));
  return { store, repository: request.repository, sourceReference: request.sourceReference, source, targets };
}

/**
 * Refuses to go on when any plan has a conflict, naming every conflicting tag in one line.
 * @throws ConfigurationError listing `image:tag holds <digest>, not <source digest>` per conflict.
 */
export function assertNoConflicts(plans: readonly PromotionPlan[]): void {
  const conflicts = plans.flatMap((plan) =>
    plan.targets
      .filter((t) => t.action === 'conflict')
      .map(
        (t) => `${plan.store.host}/${plan.repository}:${t.tag} holds ${t.previousDigest}, not ${plan.source.digest}`,
      ),
  );
  if (conflicts.length > 0) {
    throw new ConfigurationError(
      `Version tags are immutable and nothing was written: ${conflicts.join('; ')}. Promote a new version instead`,
    );
  }
}
