import {
  paginateDescribeRules,
  type ElasticLoadBalancingV2Client,
  type Rule,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { collectPages } from './collect-pages.js';

/** Every rule of a listener, the default rule included, reading all pages (400 rules per call). */
export async function listListenerRules(elb: ElasticLoadBalancingV2Client, listenerArn: string): Promise<Rule[]> {
  return collectPages(
    paginateDescribeRules({ client: elb, pageSize: 400 }, { ListenerArn: listenerArn }),
    (page) => page.Rules,
  );
}

/** A rule's priority as a number, or undefined for the listener's default rule. */
export function readRulePriority(rule: Rule): number | undefined {
  if (rule.IsDefault || rule.Priority === undefined || !/^\d+$/.test(rule.Priority)) return undefined;
  return Number(rule.Priority);
}
