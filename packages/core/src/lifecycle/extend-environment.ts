import { TagResourceCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { AddTagsCommand, type ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ConfigurationError } from '../action/errors.js';
import { toElbTags } from '../alb/elb-tags.js';
import { listOwnedRules, listOwnedTargetGroups } from '../alb/list-owned-resources.js';
import { toEcsTags } from '../ecs/ecs-tags.js';
import { listOwnedServices } from '../ecs/list-owned-services.js';
import { extendExpiry } from '../preview/expiry.js';
import { OWNERSHIP_TAG_KEYS, readOwnershipTags } from '../preview/ownership-tags.js';
import { mapConcurrent } from '../util/map-concurrent.js';

/** What `/extend` asks for. */
export interface ExtendEnvironmentRequest {
  ecs: ECSClient;
  elbv2: ElasticLoadBalancingV2Client;
  cluster: string;
  /** Tag the listener's rules too, when given. */
  listenerArn?: string;
  repo: string;
  pr: number;
  /** `90m`, `2h`, `1d`: how much longer. */
  duration: string;
  /** The furthest ahead of now an expiry may be set (an input of the command action). */
  maxAheadMs: number;
  now: Date;
}

/** The environment's new expiry. */
export interface ExtendEnvironmentResult {
  expiresAt: Date;
  /** True when the wish was cut to the maximum. */
  capped: boolean;
  previousExpiresAt?: Date;
  /** True when the environment was deployed with ttl-hours: the new time is its expiry, not only a protection. */
  realExpiry: boolean;
  /** Resources re-tagged. */
  tagged: number;
}

/**
 * Implements `/extend <duration>`: moves the environment's expires-at tag (which protects it from
 * the idle sweep) `duration` past the later of now and its current expiry, never beyond
 * `now + maxAheadMs`, and writes it on every service, target group and (with a listener) rule of
 * the environment, so discovery reads the same expiry whichever resource it sees.
 * @throws ConfigurationError when the PR has no environment, or the duration is unreadable.
 */
export async function extendEnvironment(request: ExtendEnvironmentRequest): Promise<ExtendEnvironmentResult> {
  const owner = { repo: request.repo, pr: request.pr };
  const [services, groups, rules] = await Promise.all([
    listOwnedServices(request.ecs, request.cluster, owner),
    listOwnedTargetGroups(request.elbv2, owner),
    request.listenerArn ? listOwnedRules(request.elbv2, request.listenerArn, owner) : [],
  ]);
  if (services.length === 0) {
    throw new ConfigurationError(
      `Pull request #${request.pr} has no preview environment to extend: comment /deploy first`,
    );
  }
  const current = [
    ...services.map((s) => s.tags[OWNERSHIP_TAG_KEYS.expiresAt]),
    ...groups.map((g) => g.facts.expiresAt?.toISOString()),
  ]
    .flatMap((text) => (text && !Number.isNaN(Date.parse(text)) ? [Date.parse(text)] : []))
    .reduce<number | undefined>((max, t) => (max === undefined || t > max ? t : max), undefined);
  const extended = extendExpiry(
    new Date(current ?? request.now.getTime()),
    request.now,
    request.duration,
    request.maxAheadMs,
  );
  const tag = { [OWNERSHIP_TAG_KEYS.expiresAt]: extended.expiresAt.toISOString() };
  await mapConcurrent(services, 4, async (s) => {
    await request.ecs.send(
      new TagResourceCommand({ resourceArn: s.service?.serviceArn ?? s.name, tags: toEcsTags(tag) }),
    );
  });
  const elbArns = [...groups.map((g) => g.arn), ...rules.map((r) => r.arn)];
  for (let i = 0; i < elbArns.length; i += 20) {
    await request.elbv2.send(new AddTagsCommand({ ResourceArns: elbArns.slice(i, i + 20), Tags: toElbTags(tag) }));
  }
  return {
    ...extended,
    ...(current !== undefined ? { previousExpiresAt: new Date(current) } : {}),
    realExpiry: services.some((s) => readOwnershipTags(s.tags)?.ttlHours !== undefined),
    tagged: services.length + elbArns.length,
  };
}
