import { DescribeLogStreamsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import {
  ListTaskDefinitionFamiliesCommand,
  ListTaskDefinitionsCommand,
  type ECSClient,
  type TaskDefinitionStatus,
} from '@aws-sdk/client-ecs';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Logger } from '../action/logger.js';
import { listRulesWithTags, listTargetGroupsWithTags } from '../alb/list-owned-resources.js';
import { listOwnedRecords, type DnsZone } from '../dns/list-records.js';
import { describeServicesBatched } from '../ecs/describe-services.js';
import { listServiceArns } from '../ecs/list-owned-services.js';
import { mapConcurrent } from '../util/map-concurrent.js';
import { readLogStreamPreviewNumber, readPreviewServiceSuffix } from '../preview/naming.js';
import { isOwnedBy, readOwnershipTags, type OwnershipFacts } from '../preview/ownership-tags.js';
import {
  createEmptyEnvironment,
  readPreviewNumber,
  type LifecycleScope,
  type OrphanResource,
  type PreviewEnvironment,
} from './preview-environment.js';

/** The clients discovery reads from; DNS is skipped without a zone. */
export interface DiscoveryClients {
  ecs: ECSClient;
  elbv2: ElasticLoadBalancingV2Client;
  logs: CloudWatchLogsClient;
  dns?: DnsZone;
  log?: Logger;
}

/** What discovery found: this repository's environments by PR, and look-alikes without our tags. */
export interface DiscoveredEnvironments {
  environments: Map<number, PreviewEnvironment>;
  orphans: OrphanResource[];
  /** Listings that stopped at their page limit, so what they did not reach was not seen: one line each. */
  warnings: string[];
}

const MAX_PAGES = 100;
const SERVICE_PAGES = 50;

/**
 * Finds every preview environment of `scope.repo` (or only PR `pr`) by its ownership tags, with
 * batched listings that cost the same for one environment as for hundreds: ListServices, then
 * DescribeServices with tags ten at a time; target groups and the listener's rules with
 * DescribeTags twenty at a time; DNS records by ownership comment; log streams by the `pr-` prefix;
 * task-definition revisions by family `pr-{N}-*`. Streams and revisions carry no tags, so they are
 * attached only to environments the tagged resources revealed. Services and target groups named
 * like ours without any ownership tags are returned as orphans.
 */
export async function discoverEnvironments(
  clients: DiscoveryClients,
  scope: LifecycleScope,
  pr?: number,
): Promise<DiscoveredEnvironments> {
  const owner = pr === undefined ? { repo: scope.repo } : { repo: scope.repo, pr };
  const environments = new Map<number, PreviewEnvironment>();
  const orphans: OrphanResource[] = [];
  const warnings: string[] = [];
  const envFor = (n: number) => {
    let env = environments.get(n);
    if (!env) environments.set(n, (env = createEmptyEnvironment(n)));
    return env;
  };
  const noteFacts = (env: PreviewEnvironment, facts: OwnershipFacts) => {
    env.deployedAt = later(env.deployedAt, facts.deployedAt);
    env.expiresAt = later(env.expiresAt, facts.expiresAt);
    if (facts.ttlHours !== undefined) env.ttlHours = Math.max(env.ttlHours ?? 0, facts.ttlHours);
  };
  const prefix = scope.namePrefix ?? '';
  const isLookAlike = (name: string, tags: Record<string, string>) =>
    readPreviewNumber(name, prefix) !== undefined &&
    !readOwnershipTags(tags) &&
    (pr === undefined || readPreviewNumber(name, prefix) === pr);

  const [services, groups, rules, records, streams, families] = await Promise.all([
    listServiceArns(clients.ecs, scope.cluster, SERVICE_PAGES, () =>
      warnings.push(
        `ListServices stopped at ${SERVICE_PAGES} pages (${SERVICE_PAGES * 100} services) in cluster ${scope.cluster}: services past them were not seen this run`,
      ),
    ).then((arns) => describeServicesBatched(clients.ecs, scope.cluster, arns)),
    listTargetGroupsWithTags(clients.elbv2),
    scope.listenerArn ? listRulesWithTags(clients.elbv2, scope.listenerArn) : undefined,
    clients.dns ? listOwnedRecords(clients.dns, owner) : [],
    scope.logGroup ? listPreviewLogStreams(clients.logs, scope.logGroup, prefix, warnings, clients.log) : [],
    listPreviewFamilies(clients.ecs, prefix, warnings),
  ]);

  const hibernation = new Map<number, (Date | undefined)[]>();
  for (const service of services) {
    if (service.status !== 'ACTIVE' && service.status !== 'DRAINING') continue;
    const facts = isOwnedBy(service.tags, owner) ? readOwnershipTags(service.tags) : undefined;
    if (!facts) {
      if (isLookAlike(service.name, service.tags))
        orphans.push({
          kind: 'ecs-service',
          name: service.name,
          ...(service.service?.serviceArn ? { arn: service.service.serviceArn } : {}),
        });
      continue;
    }
    const env = envFor(facts.pr);
    env.services.push({
      name: service.name,
      arn: service.service?.serviceArn ?? service.name,
      desiredCount: service.service?.desiredCount ?? 0,
      ...(service.service?.taskDefinition ? { taskDefinition: service.service.taskDefinition } : {}),
      tags: service.tags,
      facts,
    });
    noteFacts(env, facts);
    hibernation.set(facts.pr, [...(hibernation.get(facts.pr) ?? []), facts.hibernatedAt]);
  }
  for (const [n, marks] of hibernation) {
    if (marks.every((mark) => mark !== undefined)) {
      envFor(n).hibernatedAt = new Date(Math.min(...marks.map((mark) => (mark as Date).getTime())));
    }
  }

  for (const group of groups.groups) {
    const arn = group.TargetGroupArn;
    if (!arn) continue;
    const tags = groups.tags.get(arn) ?? {};
    const facts = isOwnedBy(tags, owner) ? readOwnershipTags(tags) : undefined;
    if (facts) {
      envFor(facts.pr).targetGroupArns.push(arn);
      noteFacts(envFor(facts.pr), facts);
    } else if (isLookAlike(group.TargetGroupName ?? '', tags)) {
      orphans.push({ kind: 'target-group', name: group.TargetGroupName ?? arn, arn });
    }
  }
  for (const rule of rules?.rules ?? []) {
    const tags = rule.RuleArn ? (rules?.tags.get(rule.RuleArn) ?? {}) : {};
    const facts = isOwnedBy(tags, owner) ? readOwnershipTags(tags) : undefined;
    if (facts && rule.RuleArn) envFor(facts.pr).ruleArns.push(rule.RuleArn);
  }
  for (const record of records) envFor(record.pr).dnsRecords.push({ id: record.id, name: record.name });

  if (pr !== undefined) envFor(pr);
  for (const stream of streams) {
    const env = environments.get(stream.pr);
    if (!env) continue;
    // awslogs names streams {environment}/{container}/{task}: only the containers of this environment's own
    // services are its, so another repository's `pr-{N}/web/…` in a shared log group is never taken along.
    const container = stream.name.split('/')[1];
    const own = env.services.map((s) => s.facts.service ?? readPreviewServiceSuffix(s.name, prefix));
    if (own.length > 0 && !own.includes(container ?? '')) continue;
    env.logStreams.push({ name: stream.name, ...(stream.lastEventAt ? { lastEventAt: stream.lastEventAt } : {}) });
    env.lastLogEventAt = later(env.lastLogEventAt, stream.lastEventAt);
  }
  const ownFamilies = families.filter((f) => environments.has(f.pr));
  await mapConcurrent(ownFamilies, 4, async ({ pr: n, family }) => {
    envFor(n).taskDefinitionArns.push(...(await listFamilyRevisions(clients.ecs, family, warnings)));
  });
  return { environments, orphans, warnings };
}

function later(a: Date | undefined, b: Date | undefined): Date | undefined {
  if (!a) return b;
  if (!b) return a;
  return a.getTime() >= b.getTime() ? a : b;
}

async function listPreviewLogStreams(
  logs: CloudWatchLogsClient,
  logGroupName: string,
  prefix: string,
  warnings: string[],
  log?: Logger,
): Promise<{ pr: number; name: string; lastEventAt?: Date }[]> {
  const streams: { pr: number; name: string; lastEventAt?: Date }[] = [];
  let nextToken: string | undefined;
  for (let page = 0; ; page++) {
    if (page === MAX_PAGES) {
      warnings.push(
        `DescribeLogStreams stopped at ${MAX_PAGES} pages in log group ${logGroupName}: streams past them were not seen this run`,
      );
      break;
    }
    let out;
    try {
      out = await logs.send(
        new DescribeLogStreamsCommand({
          logGroupName,
          logStreamNamePrefix: prefix ? `${prefix}-pr-` : 'pr-',
          nextToken,
        }),
      );
    } catch (error) {
      if (error instanceof Error && error.name === 'ResourceNotFoundException') {
        log?.warning(`Log group ${logGroupName} does not exist; no log streams are cleaned up`);
        return [];
      }
      throw error;
    }
    for (const stream of out.logStreams ?? []) {
      const n = readLogStreamPreviewNumber(stream.logStreamName ?? '', prefix);
      if (n === undefined) continue;
      const last = stream.lastEventTimestamp ?? stream.lastIngestionTime;
      streams.push({
        pr: n,
        name: stream.logStreamName as string,
        ...(last ? { lastEventAt: new Date(last) } : {}),
      });
    }
    if (!out.nextToken || out.nextToken === nextToken) break;
    nextToken = out.nextToken;
  }
  return streams;
}

// ListTaskDefinitions' familyPrefix is, despite its name, a whole family name (AWS's API reference and moto
// agree), while ListTaskDefinitionFamilies' is a real prefix: families are found by ours, then each family's
// revisions are listed by its exact name, so nothing else in the account is read.
async function listPreviewFamilies(
  ecs: ECSClient,
  prefix: string,
  warnings: string[],
): Promise<{ pr: number; family: string }[]> {
  const familyPrefix = prefix ? `${prefix}-pr-` : 'pr-';
  const found: { pr: number; family: string }[] = [];
  let nextToken: string | undefined;
  for (let page = 0; ; page++) {
    if (page === MAX_PAGES) {
      warnings.push(
        `ListTaskDefinitionFamilies stopped at ${MAX_PAGES} pages of ${familyPrefix}* families: task definitions past them were not seen this run`,
      );
      break;
    }
    const out = await ecs.send(
      new ListTaskDefinitionFamiliesCommand({ familyPrefix, status: 'ALL', nextToken, maxResults: 100 }),
    );
    for (const family of out.families ?? []) {
      const n = readPreviewNumber(family, prefix);
      if (n !== undefined) found.push({ pr: n, family });
    }
    nextToken = out.nextToken;
    if (!nextToken) break;
  }
  return [...new Map(found.map((f) => [f.family, f])).values()];
}

/** Every ACTIVE and INACTIVE revision (ARN) of one task-definition family. */
async function listFamilyRevisions(ecs: ECSClient, family: string, warnings: string[]): Promise<string[]> {
  const arns = new Set<string>();
  for (const status of ['ACTIVE', 'INACTIVE'] satisfies TaskDefinitionStatus[]) {
    let nextToken: string | undefined;
    for (let page = 0; ; page++) {
      if (page === MAX_PAGES) {
        warnings.push(
          `ListTaskDefinitions stopped at ${MAX_PAGES} pages of ${status} revisions of ${family}: revisions past them were not removed this run`,
        );
        break;
      }
      const out = await ecs.send(
        new ListTaskDefinitionsCommand({ familyPrefix: family, status, nextToken, maxResults: 100 }),
      );
      // Checked again: an endpoint that treats familyPrefix as a prefix must not hand over pr-1-web-2's revisions.
      for (const arn of out.taskDefinitionArns ?? []) {
        if (/task-definition\/([^:]+):\d+$/.exec(arn)?.[1] === family) arns.add(arn);
      }
      nextToken = out.nextToken;
      if (!nextToken) break;
    }
  }
  return [...arns];
}
