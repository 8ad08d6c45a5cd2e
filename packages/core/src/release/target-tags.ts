import semver from 'semver';
import { ConfigurationError } from '../action/errors.js';
import { quoteValue } from '../action/quote.js';
import type { PromotionTarget } from '../registry/plan-promotion.js';
import { validateTag } from '../registry/validate-tag.js';

const SHA_TAG = /^sha-[0-9a-f]{7,40}$/;

/**
 * Version tags (`v1.2.3`, `1.2.3-rc.1`) and commit tags (`sha-abc1234`) name one build forever,
 * so they never move; anything else (`test`, `prod`) is an environment tag that may.
 */
export function isImmutableTag(tag: string): boolean {
  return semver.valid(tag) !== null || SHA_TAG.test(tag);
}

/**
 * Turns the target-tag lines into promotion targets.
 * @throws ConfigurationError for an empty list, a repeated or invalid tag, or a target equal to the source.
 */
export function readPromotionTargets(targetTags: readonly string[], sourceTag: string): PromotionTarget[] {
  if (targetTags.length === 0) {
    throw new ConfigurationError("Input 'target-tags' is empty: list the tags to promote to, e.g. v1.2.3 and prod");
  }
  validateTag(sourceTag, "Input 'source-tag'");
  const seen = new Set<string>();
  return targetTags.map((tag) => {
    validateTag(tag, "Input 'target-tags'");
    if (tag === sourceTag) {
      throw new ConfigurationError(
        `Target tag ${quoteValue(tag)} is the source tag: a promotion needs a different target`,
      );
    }
    if (seen.has(tag)) throw new ConfigurationError(`Target tag ${quoteValue(tag)} is listed twice: list it once`);
    seen.add(tag);
    return { tag, immutable: isImmutableTag(tag) };
  });
}
