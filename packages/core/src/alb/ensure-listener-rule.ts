import {
  AddTagsCommand,
  CreateRuleCommand,
  ModifyRuleCommand,
  type ElasticLoadBalancingV2Client,
  type Rule,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Clock } from '../action/clock.js';
import { ConfigurationError } from '../action/errors.js';
import type { Logger } from '../action/logger.js';
import type { OwnerFilter } from '../preview/ownership-tags.js';
import { isPriorityInUse } from './elb-errors.js';
import { toElbTags } from './elb-tags.js';
import { filterRulesForHost, findServiceRule, type ServiceRuleMatch } from './find-service-rule.js';
import { listListenerRules, readRulePriority } from './list-listener-rules.js';
import { pickFreePriority } from './pick-free-priority.js';
import { readResourceTags } from './read-resource-tags.js';
import { createForwardActions, createRuleConditions, readForwardTarget } from './rule-conditions.js';

/** The listener rule one routed preview service needs. */
export interface ListenerRuleSpec {
  listenerArn: string;
  /** `pr-{N}.{domain}`. */
  host: string;
  paths: readonly string[];
  service: string;
  targetGroupArn: string;
  /** Priorities this repository may take, inclusive. */
  priorityRange: { min: number; max: number };
  /** Ownership tags written on create and refreshed on reuse. */
  tags: Readonly<Record<string, string>>;
  /** This repository and PR; a rule tagged otherwise is never changed. */
  owner: Required<OwnerFilter>;
}

/** Options of {@link ensureListenerRule}. */
export interface EnsureListenerRuleOptions {
  clock: Clock;
  logger?: Logger;
  /** Reads-and-creates before giving up on priorities others keep taking; default 5. */
  maxAttempts?: number;
  /** Pause before re-reading after PriorityInUse, times the attempt number; default 500 ms. */
  retryDelayMs?: number;
}

/** What {@link ensureListenerRule} found or made. */
export interface EnsuredListenerRule {
  arn: string;
  priority: number;
  action: 'created' | 'updated' | 'unchanged';
}

/** A listener's rules and the tags of those that mention the preview's host. */
export interface ListenerSnapshot {
  rules: Rule[];
  tagsByArn: Map<string, Record<string, string>>;
}

/** Reads every rule of the listener and the tags of the rules for `host`. */
export async function readListenerSnapshot(
  elb: ElasticLoadBalancingV2Client,
  listenerArn: string,
  host: string,
): Promise<ListenerSnapshot> {
  const rules = await listListenerRules(elb, listenerArn);
  const arns = filterRulesForHost(rules, host).map((r) => r.RuleArn as string);
  return { rules, tagsByArn: arns.length ? await readResourceTags(elb, arns) : new Map() };
}

async function reuseRule(
  elb: ElasticLoadBalancingV2Client,
  match: ServiceRuleMatch,
  spec: ListenerRuleSpec,
): Promise<EnsuredListenerRule> {
  const arn = match.rule.RuleArn as string;
  const stale = match.reason === 'same-service' || readForwardTarget(match.rule) !== spec.targetGroupArn;
  if (stale) {
    await elb.send(
      new ModifyRuleCommand({
        RuleArn: arn,
        Conditions: createRuleConditions(spec.host, spec.paths),
        Actions: createForwardActions(spec.targetGroupArn),
      }),
    );
  }
  await elb.send(new AddTagsCommand({ ResourceArns: [arn], Tags: toElbTags(spec.tags) }));
  return { arn, priority: readRulePriority(match.rule) ?? 0, action: stale ? 'updated' : 'unchanged' };
}

/**
 * Makes sure one rule routes `host` + `paths` to the service's target group. A rule with the same
 * conditions (or this PR's rule for the service, whose paths changed) is reused; otherwise the lowest
 * free priority in range is taken, reading every rule page by page. When another deploy takes that
 * priority first (PriorityInUse), it re-reads and tries again, a bounded number of times.
 * @throws ConfigurationError when the range is full or a matching rule is someone else's.
 */
export async function ensureListenerRule(
  elb: ElasticLoadBalancingV2Client,
  spec: ListenerRuleSpec,
  options: EnsureListenerRuleOptions,
): Promise<EnsuredListenerRule> {
  const maxAttempts = options.maxAttempts ?? 5;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const { rules, tagsByArn } = await readListenerSnapshot(elb, spec.listenerArn, spec.host);
    const match = findServiceRule(rules, tagsByArn, spec);
    if (match) return reuseRule(elb, match, spec);
    const used = new Set(rules.map(readRulePriority).filter((p): p is number => p !== undefined));
    const priority = pickFreePriority(used, spec.priorityRange);
    if (priority === undefined) {
      const { min, max } = spec.priorityRange;
      throw new ConfigurationError(
        `Listener ${spec.listenerArn} has no free rule priority in ${min}-${max}; widen priority-range in the environment file or clean up old previews`,
      );
    }
    try {
      const out = await elb.send(
        new CreateRuleCommand({
          ListenerArn: spec.listenerArn,
          Priority: priority,
          Conditions: createRuleConditions(spec.host, spec.paths),
          Actions: createForwardActions(spec.targetGroupArn),
          Tags: toElbTags(spec.tags),
        }),
      );
      const arn = out.Rules?.[0]?.RuleArn;
      if (!arn) throw new Error(`CreateRule for ${spec.host} ${spec.paths.join(' ')} returned no rule`);
      return { arn, priority, action: 'created' };
    } catch (error) {
      if (!isPriorityInUse(error)) throw error;
      if (attempt === maxAttempts) {
        throw new Error(
          `Rule priorities in ${spec.listenerArn} were taken by other deploys ${maxAttempts} times in a row; run the deploy again`,
          { cause: error },
        );
      }
      options.logger?.info(
        `Priority ${priority} was taken meanwhile; reading the rules again (attempt ${attempt + 1} of ${maxAttempts})`,
      );
      await options.clock.sleep((options.retryDelayMs ?? 500) * attempt);
    }
  }
  throw new Error('unreachable: the last attempt returns or throws');
}
