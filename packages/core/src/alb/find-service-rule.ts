import type { Rule } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ConfigurationError } from '../action/errors.js';
import { OWNERSHIP_TAG_KEYS, isOwnedBy, type OwnerFilter } from '../preview/ownership-tags.js';
import { hasRuleConditions, readRuleHosts } from './rule-conditions.js';

/** Which rule a preview service should reuse, and why. */
export interface ServiceRuleMatch {
  rule: Rule;
  /** `same-conditions`: same host and paths. `same-service`: ours for this service, with old paths. */
  reason: 'same-conditions' | 'same-service';
}

/** What a rule must match for one preview service. */
export interface ServiceRuleQuery {
  host: string;
  paths: readonly string[];
  service: string;
  owner: OwnerFilter;
}

/** The rules of a listener that mention a host; only these can belong to that preview. */
export function filterRulesForHost(rules: readonly Rule[], host: string): Rule[] {
  const wanted = host.toLowerCase();
  return rules.filter((r) => !r.IsDefault && r.RuleArn && readRuleHosts(r).includes(wanted));
}

/**
 * Picks the rule a preview service should reuse: one with the same host and paths, else one tagged
 * as this PR's rule for this service (its paths changed). Pure, given the rules' tags.
 * @throws ConfigurationError when a rule with the same host and paths is not ours.
 */
export function findServiceRule(
  rules: readonly Rule[],
  tagsByArn: ReadonlyMap<string, Readonly<Record<string, string>>>,
  query: ServiceRuleQuery,
): ServiceRuleMatch | undefined {
  const candidates = filterRulesForHost(rules, query.host);
  const tagsOf = (rule: Rule) => tagsByArn.get(rule.RuleArn as string) ?? {};
  const same = candidates.find((r) => hasRuleConditions(r, query.host, query.paths));
  if (same) {
    if (!isOwnedBy(tagsOf(same), query.owner)) {
      throw new ConfigurationError(
        `Listener rule ${same.RuleArn} (priority ${same.Priority}) already routes ${query.host} ${query.paths.join(' ')} and is not tagged as this preview's; delete it or change domain`,
      );
    }
    return { rule: same, reason: 'same-conditions' };
  }
  const mine = candidates.find(
    (r) => isOwnedBy(tagsOf(r), query.owner) && tagsOf(r)[OWNERSHIP_TAG_KEYS.service] === query.service,
  );
  return mine ? { rule: mine, reason: 'same-service' } : undefined;
}
