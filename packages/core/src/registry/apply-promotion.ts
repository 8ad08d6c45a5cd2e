import { mapConcurrent } from '../util/map-concurrent.js';
import type { TargetAction } from './classify-target.js';
import { copyManifest } from './copy-manifest.js';
import { assertNoConflicts, type PromotionPlan } from './plan-promotion.js';
import { verifyIndexChildren } from './verify-index-children.js';

/** What happened to one target tag. */
export interface PromotedTarget {
  tag: string;
  action: Exclude<TargetAction, 'conflict'>;
  /** Digest the tag holds now (always the source digest). */
  digest: string;
  previousDigest?: string;
}

/** The outcome for one image. */
export interface PromotionResult {
  repository: string;
  digest: string;
  mediaType: string;
  targets: PromotedTarget[];
  /** Children of an index verified after the copy (empty for a single manifest). */
  verifiedChildren: string[];
}

/**
 * Carries out a plan: one PUT of the exact source bytes per `create`/`move` target, each checked
 * against the source digest, then every child of an index checked to resolve. `noop` targets cost
 * nothing. Call {@link assertNoConflicts} on all plans first when promoting several images.
 * @throws ConfigurationError (before any write) when the plan has a conflict.
 */
export async function applyPromotion(plan: PromotionPlan, concurrency = 8): Promise<PromotionResult> {
  assertNoConflicts([plan]);
  const { store, repository, source } = plan;
  const targets = await mapConcurrent(plan.targets, concurrency, async (target): Promise<PromotedTarget> => {
    const base = { tag: target.tag, ...(target.previousDigest && { previousDigest: target.previousDigest }) };
    if (target.action === 'noop') return { ...base, action: 'noop', digest: source.digest };
    const digest = await copyManifest(store, repository, target.tag, source);
    return { ...base, action: target.action === 'move' ? 'move' : 'create', digest };
  });
  const verifiedChildren = await verifyIndexChildren(store, repository, source, concurrency);
  return { repository, digest: source.digest, mediaType: source.mediaType, targets, verifiedChildren };
}
