import {
  AddTagsCommand,
  CreateTargetGroupCommand,
  DescribeTargetGroupsCommand,
  ModifyTargetGroupCommand,
  type ElasticLoadBalancingV2Client,
  type TargetGroup,
  type TargetTypeEnum,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { ConfigurationError } from '../action/errors.js';
import { isOwnedBy, type OwnerFilter } from '../preview/ownership-tags.js';
import type { NetworkMode } from '../preview/environment-config.js';
import { isDuplicateTargetGroupName, isElbNotFound } from './elb-errors.js';
import { toElbTags } from './elb-tags.js';
import { readResourceTags } from './read-resource-tags.js';

/** The target group one routed preview service needs. */
export interface TargetGroupSpec {
  /** Already fitted to ELBv2's rules (see createTargetGroupName in preview/). */
  name: string;
  port: number;
  vpcId: string;
  networkMode: NetworkMode;
  healthCheckPath: string;
  /** Ownership tags written on create and refreshed on reuse. */
  tags: Readonly<Record<string, string>>;
  /** Whose target group it must be for us to touch it. */
  owner: Required<OwnerFilter>;
}

/** What {@link ensureTargetGroup} found or made. */
export interface EnsuredTargetGroup {
  arn: string;
  name: string;
  action: 'created' | 'updated' | 'unchanged';
}

/** ECS registers tasks by instance under bridge/host networking and by ENI address under awsvpc. */
export function readTargetType(networkMode: NetworkMode): TargetTypeEnum {
  return networkMode === 'awsvpc' ? 'ip' : 'instance';
}

/** The error for a target group whose name we need but whose tags say it is not this preview's. */
export function createForeignTargetGroupError(name: string, owner: Required<OwnerFilter>): ConfigurationError {
  return new ConfigurationError(
    `Target group ${name} already exists and is not tagged as ${owner.repo} PR ${owner.pr}'s preview; rename or delete it, or deploy from a different account/region`,
  );
}

/** The target group of that name, or undefined when there is none. */
export async function findTargetGroup(
  elb: ElasticLoadBalancingV2Client,
  name: string,
): Promise<TargetGroup | undefined> {
  try {
    const out = await elb.send(new DescribeTargetGroupsCommand({ Names: [name] }));
    return out.TargetGroups?.[0];
  } catch (error) {
    if (isElbNotFound(error)) return undefined;
    throw error;
  }
}

async function adoptExisting(
  elb: ElasticLoadBalancingV2Client,
  group: TargetGroup,
  spec: TargetGroupSpec,
): Promise<EnsuredTargetGroup> {
  const arn = group.TargetGroupArn as string;
  const tags = (await readResourceTags(elb, [arn])).get(arn) ?? {};
  if (!isOwnedBy(tags, spec.owner)) throw createForeignTargetGroupError(spec.name, spec.owner);
  const targetType = readTargetType(spec.networkMode);
  if (group.TargetType !== targetType || group.VpcId !== spec.vpcId || group.Protocol !== 'HTTP') {
    throw new ConfigurationError(
      `Target group ${spec.name} was made for ${group.TargetType} targets in ${group.VpcId} and cannot be changed to ${targetType} targets in ${spec.vpcId}; tear this preview down (close the PR or /cleanup) before changing network-mode or vpc-id`,
    );
  }
  let action: EnsuredTargetGroup['action'] = 'unchanged';
  if (group.HealthCheckPath !== spec.healthCheckPath) {
    await elb.send(new ModifyTargetGroupCommand({ TargetGroupArn: arn, HealthCheckPath: spec.healthCheckPath }));
    action = 'updated';
  }
  await elb.send(new AddTagsCommand({ ResourceArns: [arn], Tags: toElbTags(spec.tags) }));
  return { arn, name: spec.name, action };
}

/**
 * Finds the service's target group or creates it (HTTP, the service's port, target type from the
 * network mode, the health-check path), tagged with ownership tags. An existing group is only reused
 * when its tags say it is this repository's and PR's; anything else is someone else's and is refused.
 * @throws ConfigurationError for a foreign target group of the same name, or one that cannot be changed.
 */
export async function ensureTargetGroup(
  elb: ElasticLoadBalancingV2Client,
  spec: TargetGroupSpec,
): Promise<EnsuredTargetGroup> {
  const existing = await findTargetGroup(elb, spec.name);
  if (existing) return adoptExisting(elb, existing, spec);
  try {
    const out = await elb.send(
      new CreateTargetGroupCommand({
        Name: spec.name,
        Protocol: 'HTTP',
        Port: spec.port,
        VpcId: spec.vpcId,
        TargetType: readTargetType(spec.networkMode),
        HealthCheckProtocol: 'HTTP',
        HealthCheckPath: spec.healthCheckPath,
        Matcher: { HttpCode: '200-399' },
        Tags: toElbTags(spec.tags),
      }),
    );
    const arn = out.TargetGroups?.[0]?.TargetGroupArn;
    if (!arn) throw new Error(`CreateTargetGroup for ${spec.name} returned no target group`);
    return { arn, name: spec.name, action: 'created' };
  } catch (error) {
    if (!isDuplicateTargetGroupName(error)) throw error;
    const raced = await findTargetGroup(elb, spec.name);
    if (!raced) throw error;
    return adoptExisting(elb, raced, spec);
  }
}
