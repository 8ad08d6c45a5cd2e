import {
  DescribeListenersCommand,
  paginateDescribeAccountLimits,
  paginateDescribeListeners,
  paginateDescribeTargetGroups,
  type ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { ConfigurationError } from '../action/errors.js';
import type { Logger } from '../action/logger.js';
import { collectPages } from './collect-pages.js';
import { isElbNotFound } from './elb-errors.js';
import { listListenerRules } from './list-listener-rules.js';

/**
 * ELBv2's documented default quotas
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html),
 * used when DescribeAccountLimits is not allowed or not answered. Rules are counted per load
 * balancer, across its listeners, default rules excluded: that is how AWS applies the quota.
 */
export const DEFAULT_ALB_QUOTAS = {
  rulesPerLoadBalancer: 100,
  targetGroups: 3000,
  targetGroupsPerLoadBalancer: 100,
} as const;

/** The quotas that can stop a preview from being routed. */
export type AlbQuotas = { -readonly [K in keyof typeof DEFAULT_ALB_QUOTAS]: number };

/** How many rules and target groups a deploy would add (reused ones do not count). */
export interface AlbAdditions {
  listenerArn: string;
  newRules: number;
  newTargetGroups: number;
}

/** Current use next to the quotas, for messages and summaries. */
export interface AlbCapacity {
  quotas: AlbQuotas;
  rules: number;
  targetGroups: number;
  targetGroupsOnLoadBalancer: number;
}

const LIMIT_NAMES: Record<string, keyof AlbQuotas> = {
  'rules-per-application-load-balancer': 'rulesPerLoadBalancer',
  'target-groups': 'targetGroups',
  'target-groups-per-application-load-balancer': 'targetGroupsPerLoadBalancer',
};

/** The account's ELBv2 quotas, falling back to the documented defaults for any it does not report. */
export async function readAlbQuotas(elb: ElasticLoadBalancingV2Client, logger?: Logger): Promise<AlbQuotas> {
  const quotas: AlbQuotas = { ...DEFAULT_ALB_QUOTAS };
  try {
    const limits = await collectPages(
      paginateDescribeAccountLimits({ client: elb, pageSize: 400 }, {}),
      (p) => p.Limits,
    );
    for (const limit of limits) {
      const key = limit.Name ? LIMIT_NAMES[limit.Name] : undefined;
      const max = Number(limit.Max);
      if (key && Number.isInteger(max) && max > 0) quotas[key] = max;
    }
  } catch (error) {
    logger?.warning(`Could not read ELBv2 account limits (${(error as Error).name}); assuming the documented defaults`);
  }
  return quotas;
}

/** Reads the quotas and what the listener's load balancer and the region already use. */
export async function readAlbCapacity(
  elb: ElasticLoadBalancingV2Client,
  listenerArn: string,
  logger?: Logger,
): Promise<AlbCapacity> {
  const listener = (await elb.send(new DescribeListenersCommand({ ListenerArns: [listenerArn] }))).Listeners?.[0];
  const loadBalancerArn = listener?.LoadBalancerArn;
  if (!loadBalancerArn)
    throw new ConfigurationError(`Listener ${listenerArn} was not found; check listener-arn in the environment file`);
  const [quotas, listeners, lbGroups, allGroups] = await Promise.all([
    readAlbQuotas(elb, logger),
    collectPages(
      paginateDescribeListeners({ client: elb, pageSize: 400 }, { LoadBalancerArn: loadBalancerArn }),
      (p) => p.Listeners,
    ),
    // moto answers TargetGroupNotFound, not an empty list, for a load balancer without target groups.
    collectPages(
      paginateDescribeTargetGroups({ client: elb, pageSize: 400 }, { LoadBalancerArn: loadBalancerArn }),
      (p) => p.TargetGroups,
    ).catch((error: unknown) => {
      if (isElbNotFound(error)) return [];
      throw error;
    }),
    collectPages(paginateDescribeTargetGroups({ client: elb, pageSize: 400 }, {}), (p) => p.TargetGroups),
  ]);
  let rules = 0;
  for (const l of listeners) {
    if (l.ListenerArn) rules += (await listListenerRules(elb, l.ListenerArn)).filter((r) => !r.IsDefault).length;
  }
  return { quotas, rules, targetGroups: allGroups.length, targetGroupsOnLoadBalancer: lbGroups.length };
}

/** The quota problems a deploy would run into, as `how to fix` lines; empty when it fits. */
export function listQuotaProblems(capacity: AlbCapacity, additions: AlbAdditions): string[] {
  const { quotas } = capacity;
  const problems: string[] = [];
  if (additions.newRules && capacity.rules + additions.newRules > quotas.rulesPerLoadBalancer) {
    problems.push(
      `the load balancer of ${additions.listenerArn} has ${capacity.rules} of ${quotas.rulesPerLoadBalancer} rules and this preview needs ${additions.newRules} more; close old previews or ask AWS for a higher "rules per Application Load Balancer" quota`,
    );
  }
  if (additions.newTargetGroups && capacity.targetGroups + additions.newTargetGroups > quotas.targetGroups) {
    problems.push(
      `the region has ${capacity.targetGroups} of ${quotas.targetGroups} target groups and this preview needs ${additions.newTargetGroups} more; delete unused target groups or raise the quota`,
    );
  }
  if (
    additions.newTargetGroups &&
    capacity.targetGroupsOnLoadBalancer + additions.newTargetGroups > quotas.targetGroupsPerLoadBalancer
  ) {
    problems.push(
      `the load balancer forwards to ${capacity.targetGroupsOnLoadBalancer} of ${quotas.targetGroupsPerLoadBalancer} target groups and this preview needs ${additions.newTargetGroups} more; close old previews or raise the quota`,
    );
  }
  return problems;
}

/**
 * Checks, before anything is created, that the rules and target groups a deploy adds fit the
 * account's ELBv2 quotas. A deploy that adds nothing reads nothing and gets undefined.
 * @throws ConfigurationError naming every quota that would be exceeded.
 */
export async function checkAlbQuotas(
  elb: ElasticLoadBalancingV2Client,
  additions: AlbAdditions,
  logger?: Logger,
): Promise<AlbCapacity | undefined> {
  if (!additions.newRules && !additions.newTargetGroups) return undefined;
  const capacity = await readAlbCapacity(elb, additions.listenerArn, logger);
  const problems = listQuotaProblems(capacity, additions);
  if (problems.length)
    throw new ConfigurationError(`This preview does not fit the load balancer's quotas: ${problems.join('; ')}`);
  return capacity;
}
