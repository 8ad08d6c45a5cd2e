import { describe, expect, it } from '@jest/globals';
import { CloudWatchLogsClient, DescribeLogStreamsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  DescribeServicesCommand,
  ECSClient,
  ListServicesCommand,
  ListTaskDefinitionFamiliesCommand,
  ListTaskDefinitionsCommand,
  TagResourceCommand,
  UpdateServiceCommand,
  type Service,
} from '@aws-sdk/client-ecs';
import {
  DescribeTagsCommand,
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { ManualClock } from '../action/clock.js';
import { MemoryIO } from '../action/io.js';
import { createLogger } from '../action/logger.js';
import { toEcsTags } from '../ecs/ecs-tags.js';
import { createFakeOctokit } from '../github/fake-github.test-helper.js';
import { createOwnershipTags } from '../preview/ownership-tags.js';
import { sweepPreviews, type SweepDependencies, type SweepRequest } from './sweep-previews.js';

const REPO = 'octo-org/app';
const NOW = new Date('2026-03-10T12:00:00Z');
const HOUR = 3_600_000;
const ago = (hours: number) => new Date(NOW.getTime() - hours * HOUR);

function service(pr: number, name: string, deployedAt: Date): Service {
  return {
    serviceName: `pr-${pr}-${name}`,
    serviceArn: `arn:aws:ecs:us-east-1:1:service/c1/pr-${pr}-${name}`,
    status: 'ACTIVE',
    desiredCount: 1,
    tags: toEcsTags(createOwnershipTags({ repo: REPO, pr, service: name, deployedAt })),
  };
}

/** An open PR last updated `hours` ago, as GitHub's GraphQL answers for every alias asked. */
function openPullRequests(hours: number) {
  return createFakeOctokit((request) => {
    const query = String(request.body?.query ?? '');
    const aliases = [...query.matchAll(/(pr\d+): pullRequest/g)].map((m) => m[1] as string);
    const node = {
      state: 'OPEN',
      merged: false,
      updatedAt: ago(hours).toISOString(),
      headRefOid: 'a'.repeat(40),
      isCrossRepository: false,
      labels: { nodes: [] },
    };
    return { status: 200, body: { data: { repository: Object.fromEntries(aliases.map((a) => [a, node])) } } };
  });
}

function setUp(services: () => Service[]) {
  const clients = {
    ecs: new ECSClient({ region: 'us-east-1' }),
    elbv2: new ElasticLoadBalancingV2Client({ region: 'us-east-1' }),
    logs: new CloudWatchLogsClient({ region: 'us-east-1' }),
  };
  const ecs = mockClient(clients.ecs);
  const elbv2 = mockClient(clients.elbv2);
  const logs = mockClient(clients.logs);
  ecs.on(ListServicesCommand).callsFake(() => ({ serviceArns: services().map((s) => s.serviceArn as string) }));
  ecs.on(DescribeServicesCommand).callsFake((input: { services: string[] }) => ({
    services: services().filter((s) => input.services.some((n) => n === s.serviceName || n === s.serviceArn)),
  }));
  ecs.on(ListTaskDefinitionFamiliesCommand).resolves({ families: [] });
  ecs.on(ListTaskDefinitionsCommand).resolves({ taskDefinitionArns: [] });
  ecs.on(UpdateServiceCommand).resolves({});
  ecs.on(TagResourceCommand).resolves({});
  elbv2.on(DescribeTargetGroupsCommand).resolves({ TargetGroups: [] });
  elbv2.on(DescribeTagsCommand).resolves({ TagDescriptions: [] });
  logs.on(DescribeLogStreamsCommand).resolves({ logStreams: [] });
  const io = new MemoryIO();
  const { octokit } = openPullRequests(100);
  const deps: SweepDependencies = {
    ...clients,
    clock: new ManualClock(NOW),
    log: createLogger(io),
    repo: { owner: 'octo-org', repo: 'app' },
    github: async () => octokit,
  };
  return { ecs, deps };
}

const request: SweepRequest = {
  scope: { repo: REPO, cluster: 'c1' },
  policy: { maxIdleHours: 24, hibernateGraceHours: 48, keepLabel: 'preview:keep', useLogActivity: false },
  dryRun: false,
  maxDeletions: 10,
  notify: false,
  run: { runId: '1', runAttempt: '1' },
};

describe('sweepPreviews', () => {
  it('hibernates an idle environment whose tags are as discovery read them', async () => {
    const { ecs, deps } = setUp(() => [service(7, 'api', ago(30))]);
    const result = await sweepPreviews(request, deps);
    expect(result.hibernated.map((h) => h.pr)).toEqual([7]);
    expect(ecs.commandCalls(UpdateServiceCommand)).toHaveLength(1);
  });

  it('re-reads the environment just before it acts and skips it when a deploy landed after discovery', async () => {
    let describes = 0;
    const { ecs, deps } = setUp(() => [service(7, 'api', ++describes > 1 ? ago(0.1) : ago(30))]);
    // Every read after discovery's first DescribeServices sees the fresh deploy (deployed-at six minutes ago).
    ecs.on(ListServicesCommand).callsFake(() => {
      describes = 0;
      return { serviceArns: ['arn:aws:ecs:us-east-1:1:service/c1/pr-7-api'] };
    });
    const result = await sweepPreviews(request, deps);
    expect(result.hibernated).toEqual([]);
    expect(result.failures).toEqual([]);
    expect(result.skipped).toEqual([
      { pr: 7, reason: `deployed again at ${ago(0.1).toISOString()} while the sweep ran; left for the next sweep` },
    ]);
    expect(result.plan).toEqual([{ pr: 7, action: 'skip', reason: expect.stringContaining('deployed again') }]);
    expect(ecs.commandCalls(UpdateServiceCommand)).toEqual([]);
  });

  it('says so when a listing stops at its page limit, instead of sweeping what it saw as if it were all', async () => {
    const { ecs, deps } = setUp(() => []);
    ecs.on(ListServicesCommand).resolves({ serviceArns: [], nextToken: 'more' });
    const result = await sweepPreviews(request, deps);
    expect(ecs.commandCalls(ListServicesCommand)).toHaveLength(50);
    expect(result.warnings).toEqual([
      'ListServices stopped at 50 pages (5000 services) in cluster c1: services past them were not seen this run',
    ]);
  });

  it("lists task-definition families by our prefix, then only the found environments' families by exact name", async () => {
    const { ecs, deps } = setUp(() => [service(7, 'api', ago(1))]);
    ecs.on(ListTaskDefinitionFamiliesCommand).resolves({ families: ['pr-7-api', 'pr-8-api'] });
    ecs.on(ListTaskDefinitionsCommand).callsFake((input: { familyPrefix?: string; status?: string }) => ({
      // An endpoint that matched familyPrefix as a prefix would hand pr-7-api-old's revision over too.
      taskDefinitionArns: [
        `arn:aws:ecs:us-east-1:1:task-definition/${input.familyPrefix}:${input.status === 'ACTIVE' ? 2 : 1}`,
        `arn:aws:ecs:us-east-1:1:task-definition/${input.familyPrefix}-old:1`,
      ],
    }));
    const result = await sweepPreviews({ ...request, dryRun: true }, deps);
    expect(ecs.commandCalls(ListTaskDefinitionFamiliesCommand).map((c) => c.args[0].input)).toEqual([
      { familyPrefix: 'pr-', status: 'ALL', maxResults: 100 },
    ]);
    expect(ecs.commandCalls(ListTaskDefinitionsCommand).map((c) => c.args[0].input)).toEqual([
      { familyPrefix: 'pr-7-api', status: 'ACTIVE', maxResults: 100 },
      { familyPrefix: 'pr-7-api', status: 'INACTIVE', maxResults: 100 },
    ]);
    expect(result.inventory.get(7)?.taskDefinitionArns).toEqual([
      'arn:aws:ecs:us-east-1:1:task-definition/pr-7-api:2',
      'arn:aws:ecs:us-east-1:1:task-definition/pr-7-api:1',
    ]);
  });
});
