import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Clock } from '../action/clock.js';
import type { Logger } from '../action/logger.js';
import type { NetworkMode } from '../preview/environment-config.js';
import { createPreviewHost } from '../preview/naming.js';
import { isOwnedBy, type OwnerFilter } from '../preview/ownership-tags.js';
import { createTargetGroupName } from '../preview/target-group-name.js';
import { mapConcurrent } from '../util/map-concurrent.js';
import { checkAlbQuotas, type AlbCapacity } from './check-alb-quotas.js';
import { ensureListenerRule, readListenerSnapshot, type EnsuredListenerRule } from './ensure-listener-rule.js';
import {
  createForeignTargetGroupError,
  ensureTargetGroup,
  findTargetGroup,
  type EnsuredTargetGroup,
} from './ensure-target-group.js';
import { findServiceRule } from './find-service-rule.js';
import { readResourceTags } from './read-resource-tags.js';

/** One service of a preview that the load balancer routes to. */
export interface RoutedServiceSpec {
  service: string;
  port: number;
  paths: readonly string[];
  healthCheckPath: string;
  networkMode: NetworkMode;
  /** Ownership tags of this service (createOwnershipTags with `service` set). */
  tags: Readonly<Record<string, string>>;
}

/** Everything {@link routePreviewServices} needs to route one preview. */
export interface RoutePreviewInput {
  listenerArn: string;
  vpcId: string;
  pr: number;
  domain: string;
  /** The environment file's name-prefix: host and target-group names start `{prefix}-pr-{N}`. */
  namePrefix?: string;
  priorityRange: { min: number; max: number };
  /** This repository and PR; anything not tagged so is left alone. */
  owner: Required<OwnerFilter>;
  /** In priority order: earlier services get lower (earlier-matching) priorities on first deploy. */
  services: readonly RoutedServiceSpec[];
}

/** How one service ended up routed. */
export interface RoutedService {
  service: string;
  targetGroup: EnsuredTargetGroup;
  rule: EnsuredListenerRule;
}

/** The outcome of {@link routePreviewServices}. */
export interface PreviewRouting {
  host: string;
  services: RoutedService[];
  /** Quotas and use before this deploy; absent when nothing new was needed. */
  capacity?: AlbCapacity;
}

/** Options of {@link routePreviewServices}. */
export interface RoutePreviewOptions {
  clock: Clock;
  logger?: Logger;
  /** Target groups looked up or created at once; default 4. */
  concurrency?: number;
}

/**
 * Routes `pr-{N}.{domain}` + each service's paths to that service's target group. It first reads
 * what exists, refuses foreign target groups and rules, and checks the ELBv2 quotas for what is
 * missing, all before creating anything; then it creates or reuses the target groups (in parallel)
 * and the rules (one by one, so priorities follow the service order).
 * @throws ConfigurationError before any change when something is someone else's or a quota would be exceeded.
 */
export async function routePreviewServices(
  elb: ElasticLoadBalancingV2Client,
  input: RoutePreviewInput,
  options: RoutePreviewOptions,
): Promise<PreviewRouting> {
  const host = createPreviewHost(input.pr, input.domain, input.namePrefix);
  const concurrency = options.concurrency ?? 4;
  const names = input.services.map((s) => createTargetGroupName(input.pr, s.service, input.namePrefix));
  const existing = await mapConcurrent(names, concurrency, (name) => findTargetGroup(elb, name));
  const existingArns = existing.flatMap((g) => (g?.TargetGroupArn ? [g.TargetGroupArn] : []));
  const groupTags = existingArns.length
    ? await readResourceTags(elb, existingArns)
    : new Map<string, Record<string, string>>();
  existing.forEach((group, i) => {
    if (group?.TargetGroupArn && !isOwnedBy(groupTags.get(group.TargetGroupArn) ?? {}, input.owner)) {
      throw createForeignTargetGroupError(names[i] as string, input.owner);
    }
  });
  const snapshot = await readListenerSnapshot(elb, input.listenerArn, host);
  const missingRules = input.services.filter(
    (s) =>
      !findServiceRule(snapshot.rules, snapshot.tagsByArn, {
        host,
        paths: s.paths,
        service: s.service,
        owner: input.owner,
      }),
  );
  const capacity = await checkAlbQuotas(
    elb,
    {
      listenerArn: input.listenerArn,
      newRules: missingRules.length,
      newTargetGroups: existing.filter((g) => !g).length,
    },
    options.logger,
  );
  const groups = await mapConcurrent(input.services, concurrency, (s, i) =>
    ensureTargetGroup(elb, {
      name: names[i] as string,
      port: s.port,
      vpcId: input.vpcId,
      networkMode: s.networkMode,
      healthCheckPath: s.healthCheckPath,
      tags: s.tags,
      owner: input.owner,
    }),
  );
  const services: RoutedService[] = [];
  for (const [i, s] of input.services.entries()) {
    const targetGroup = groups[i] as EnsuredTargetGroup;
    const rule = await ensureListenerRule(
      elb,
      {
        listenerArn: input.listenerArn,
        host,
        paths: s.paths,
        service: s.service,
        targetGroupArn: targetGroup.arn,
        priorityRange: input.priorityRange,
        tags: s.tags,
        owner: input.owner,
      },
      options,
    );
    options.logger?.info(
      `${host} ${s.paths.join(' ')} → ${targetGroup.name} (rule priority ${rule.priority}, ${rule.action})`,
    );
    services.push({ service: s.service, targetGroup, rule });
  }
  return capacity ? { host, services, capacity } : { host, services };
}
