import {
  paginateDescribeTargetGroups,
  type ElasticLoadBalancingV2Client,
  type Rule,
  type TargetGroup,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { isOwnedBy, readOwnershipTags, type OwnerFilter, type OwnershipFacts } from '../preview/ownership-tags.js';
import { collectPages } from './collect-pages.js';
import { listListenerRules } from './list-listener-rules.js';
import { readResourceTags } from './read-resource-tags.js';

/** A resource of ours with what its tags say. */
export interface OwnedResource<T> {
  arn: string;
  resource: T;
  facts: OwnershipFacts;
}

function keepOwned<T>(
  items: readonly T[],
  arnOf: (item: T) => string | undefined,
  tags: Map<string, Record<string, string>>,
  owner: OwnerFilter,
): OwnedResource<T>[] {
  return items.flatMap((resource) => {
    const arn = arnOf(resource);
    const itemTags = arn ? tags.get(arn) : undefined;
    const facts = itemTags && isOwnedBy(itemTags, owner) ? readOwnershipTags(itemTags) : undefined;
    return arn && facts ? [{ arn, resource, facts }] : [];
  });
}

/** Every target group in the region whose tags say it belongs to `owner` (a repository, or one of its PRs). */
export async function listOwnedTargetGroups(
  elb: ElasticLoadBalancingV2Client,
  owner: OwnerFilter,
): Promise<OwnedResource<TargetGroup>[]> {
  const { groups, tags } = await listTargetGroupsWithTags(elb);
  return keepOwned(groups, (g) => g.TargetGroupArn, tags, owner);
}

/** Every target group in the region and the tags of each (by ARN), whoever made it. */
export async function listTargetGroupsWithTags(
  elb: ElasticLoadBalancingV2Client,
): Promise<{ groups: TargetGroup[]; tags: Map<string, Record<string, string>> }> {
  const groups = await collectPages(
    paginateDescribeTargetGroups({ client: elb, pageSize: 400 }, {}),
    (p) => p.TargetGroups,
  );
  const arns = groups.flatMap((g) => (g.TargetGroupArn ? [g.TargetGroupArn] : []));
  const tags = arns.length ? await readResourceTags(elb, arns) : new Map<string, Record<string, string>>();
  return { groups, tags };
}

/** Every non-default rule of the listener and the tags of each (by ARN), whoever made it. */
export async function listRulesWithTags(
  elb: ElasticLoadBalancingV2Client,
  listenerArn: string,
): Promise<{ rules: Rule[]; tags: Map<string, Record<string, string>> }> {
  const rules = (await listListenerRules(elb, listenerArn)).filter((r) => !r.IsDefault);
  const arns = rules.flatMap((r) => (r.RuleArn ? [r.RuleArn] : []));
  const tags = arns.length ? await readResourceTags(elb, arns) : new Map<string, Record<string, string>>();
  return { rules, tags };
}

/** Every rule of the listener whose tags say it belongs to `owner`. */
export async function listOwnedRules(
  elb: ElasticLoadBalancingV2Client,
  listenerArn: string,
  owner: OwnerFilter,
): Promise<OwnedResource<Rule>[]> {
  const { rules, tags } = await listRulesWithTags(elb, listenerArn);
  return keepOwned(rules, (r) => r.RuleArn, tags, owner);
}
