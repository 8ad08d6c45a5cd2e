import type { Action, Rule, RuleCondition } from '@aws-sdk/client-elastic-load-balancing-v2';

/** The conditions of a preview service's rule: its host and its path patterns. */
export function createRuleConditions(host: string, paths: readonly string[]): RuleCondition[] {
  return [
    { Field: 'host-header', HostHeaderConfig: { Values: [host] } },
    { Field: 'path-pattern', PathPatternConfig: { Values: [...paths] } },
  ];
}

/** A forward-to-one-target-group action. */
export function createForwardActions(targetGroupArn: string): Action[] {
  return [{ Type: 'forward', TargetGroupArn: targetGroupArn }];
}

function valuesOf(rule: Rule, field: string): string[] {
  return (rule.Conditions ?? []).flatMap((c) => {
    if (c.Field !== field) return [];
    const typed = field === 'host-header' ? c.HostHeaderConfig?.Values : c.PathPatternConfig?.Values;
    return typed ?? c.Values ?? [];
  });
}

/** The host names a rule matches, lower-cased. */
export function readRuleHosts(rule: Rule): string[] {
  return valuesOf(rule, 'host-header').map((h) => h.toLowerCase());
}

/** The path patterns a rule matches. */
export function readRulePaths(rule: Rule): string[] {
  return valuesOf(rule, 'path-pattern');
}

/** The single target group a rule forwards to, or undefined when it does anything else. */
export function readForwardTarget(rule: Rule): string | undefined {
  const actions = rule.Actions ?? [];
  if (actions.length !== 1 || actions[0]?.Type !== 'forward') return undefined;
  const action = actions[0];
  const groups = action.ForwardConfig?.TargetGroups ?? [];
  if (action.TargetGroupArn) return action.TargetGroupArn;
  return groups.length === 1 ? groups[0]?.TargetGroupArn : undefined;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  return left.size === new Set(b).size && b.every((x) => left.has(x));
}

/** True when a rule has exactly this host and these path patterns (in any order) and no other condition. */
export function hasRuleConditions(rule: Rule, host: string, paths: readonly string[]): boolean {
  const fields = (rule.Conditions ?? []).map((c) => c.Field);
  if (fields.some((f) => f !== 'host-header' && f !== 'path-pattern')) return false;
  return sameSet(readRuleHosts(rule), [host.toLowerCase()]) && sameSet(readRulePaths(rule), paths);
}
