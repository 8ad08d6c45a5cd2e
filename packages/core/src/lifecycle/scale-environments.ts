import {
  DescribeTaskDefinitionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateServiceCommand,
  type ECSClient,
} from '@aws-sdk/client-ecs';
import type { Logger } from '../action/logger.js';
import { toEcsTags } from '../ecs/ecs-tags.js';
import { listOwnedServices } from '../ecs/list-owned-services.js';
import {
  estimateDailyCost,
  FARGATE_US_EAST_1_2025,
  type CostedService,
  type CostPrices,
} from '../preview/estimate-daily-cost.js';
import { readPreviewServiceSuffix } from '../preview/naming.js';
import { readOwnershipTags } from '../preview/ownership-tags.js';
import { mapConcurrent, mapSettled } from '../util/map-concurrent.js';
import { readProfileCount, type ScaleProfile } from './scale-profile.js';
import { describeError } from '../action/explain-failure.js';

/** The tag that remembers a service's full desired count while it runs reduced, so `up` restores it exactly. */
export const FULL_COUNT_TAG = 'preview-actions:full-count';

/** What a scale run does. */
export interface ScaleRequest {
  ecs: ECSClient;
  cluster: string;
  repo: string;
  direction: 'up' | 'down';
  profile: ScaleProfile;
  /** Hours a day environments run reduced, for the saving estimate. */
  reducedHoursPerDay: number;
  prices?: CostPrices;
  dryRun?: boolean;
  log?: Logger;
  /** The environment file's name-prefix, for services whose tags lack the service name; default none. */
  namePrefix?: string;
}

/** One service whose desired count changed (or would, in a dry run). */
export interface ScaleChange {
  pr: number;
  service: string;
  from: number;
  to: number;
}

/** What a scale run changed, skipped, and saves. */
export interface ScaleResult {
  direction: 'up' | 'down';
  changes: ScaleChange[];
  /** Hibernated environments, never touched. */
  hibernated: number[];
  failures: { pr: number; service: string; error: string }[];
  /** Estimated USD a day the reduced profile saves across the changed services. */
  dailySavingUsd: number;
}

/**
 * Scales every owned, non-hibernated environment to the reduced profile (`down`) or back to full
 * capacity (`up`). Going down, a service's full count is first remembered in a tag — only when none
 * is there yet, so repeated runs never overwrite it with a reduced count — then its desired count is
 * set; going up, the tag's count is restored and the tag removed. Services the profile does not name
 * are left alone. Failures are per service and returned. The saving uses the deploy cost model
 * (estimateDailyCost) over the reduced hours.
 */
export async function scaleEnvironments(request: ScaleRequest): Promise<ScaleResult> {
  const services = await listOwnedServices(request.ecs, request.cluster, { repo: request.repo });
  const hibernated = new Set<number>();
  const plan: (ScaleChange & { arn: string; taskDefinition?: string; full: number; reduced: number })[] = [];
  for (const s of services) {
    const facts = readOwnershipTags(s.tags);
    if (!facts) continue;
    if (facts.hibernatedAt && !(facts.deployedAt && facts.deployedAt > facts.hibernatedAt)) {
      hibernated.add(facts.pr);
      continue;
    }
    const short = facts.service ?? readPreviewServiceSuffix(s.name, request.namePrefix);
    const reduced = readProfileCount(request.profile, short);
    const current = s.service?.desiredCount ?? 0;
    const remembered =
      s.tags[FULL_COUNT_TAG] !== undefined && /^\d+$/.test(s.tags[FULL_COUNT_TAG] ?? '')
        ? Number(s.tags[FULL_COUNT_TAG])
        : undefined;
    const base = {
      pr: facts.pr,
      service: s.name,
      arn: s.service?.serviceArn ?? s.name,
      ...(s.service?.taskDefinition ? { taskDefinition: s.service.taskDefinition } : {}),
    };
    if (request.direction === 'down' && reduced !== undefined && current !== reduced) {
      const full = remembered ?? current;
      plan.push({ ...base, from: current, to: reduced, full, reduced });
    } else if (request.direction === 'up' && remembered !== undefined) {
      plan.push({ ...base, from: current, to: remembered, full: remembered, reduced: reduced ?? current });
    }
  }

  const failures: ScaleResult['failures'] = [];
  const changes: ScaleChange[] = [];
  if (request.dryRun) changes.push(...plan.map(({ pr, service, from, to }) => ({ pr, service, from, to })));
  else {
    const settled = await mapSettled(plan, 4, async (item) => {
      if (request.direction === 'down') {
        await request.ecs.send(
          new TagResourceCommand({ resourceArn: item.arn, tags: toEcsTags({ [FULL_COUNT_TAG]: String(item.full) }) }),
        );
        await request.ecs.send(
          new UpdateServiceCommand({ cluster: request.cluster, service: item.service, desiredCount: item.to }),
        );
      } else {
        await request.ecs.send(
          new UpdateServiceCommand({ cluster: request.cluster, service: item.service, desiredCount: item.to }),
        );
        await request.ecs.send(new UntagResourceCommand({ resourceArn: item.arn, tagKeys: [FULL_COUNT_TAG] }));
      }
    });
    settled.forEach((r, i) => {
      const item = plan[i]!;
      if (r.status === 'fulfilled') changes.push({ pr: item.pr, service: item.service, from: item.from, to: item.to });
      else
        failures.push({
          pr: item.pr,
          service: item.service,
          error: describeError(r.reason),
        });
    });
  }

  const sizes = await readTaskSizes(
    request.ecs,
    plan.flatMap((p) => (p.taskDefinition ? [p.taskDefinition] : [])),
  );
  const costed = (count: (p: (typeof plan)[number]) => number): CostedService[] =>
    plan.map((p) => ({
      name: p.service,
      ...(sizes.get(p.taskDefinition ?? '') ?? { cpu: 256, memory: 512 }),
      desiredCount: count(p),
      hoursPerDay: request.reducedHoursPerDay,
    }));
  const prices = request.prices ?? FARGATE_US_EAST_1_2025;
  const dailySavingUsd =
    estimateDailyCost(
      costed((p) => p.full),
      prices,
    ).totalUsd -
    estimateDailyCost(
      costed((p) => p.reduced),
      prices,
    ).totalUsd;
  return {
    direction: request.direction,
    changes,
    hibernated: [...hibernated].sort((a, b) => a - b),
    failures,
    dailySavingUsd: Math.max(0, dailySavingUsd),
  };
}

async function readTaskSizes(
  ecs: ECSClient,
  arns: readonly string[],
): Promise<Map<string, { cpu: number; memory: number }>> {
  const unique = [...new Set(arns)];
  const sizes = await mapConcurrent(unique, 4, async (taskDefinition) => {
    const td = (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition }))).taskDefinition;
    const containers = td?.containerDefinitions ?? [];
    const cpu = Number(td?.cpu) || containers.reduce((sum, c) => sum + (c.cpu ?? 0), 0) || 256;
    const memory =
      Number(td?.memory) || containers.reduce((sum, c) => sum + (c.memory ?? c.memoryReservation ?? 0), 0) || 512;
    return [taskDefinition, { cpu, memory }] as const;
  });
  return new Map(sizes);
}
