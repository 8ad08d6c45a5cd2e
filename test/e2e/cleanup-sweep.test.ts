import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { DescribeLogStreamsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeTaskDefinitionCommand, ECSClient, ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import Cloudflare from 'cloudflare';
import { getOctokit } from '@actions/github';
import { Redis } from 'ioredis';
import { ManualClock, MemoryIO, createLogger } from '@preview-actions/core/action';
import { listListenerRules, listTargetGroupsWithTags } from '@preview-actions/core/alb';
import { describeServicesBatched, listServiceArns } from '@preview-actions/core/ecs';
import { sweepPreviews, type SweepDependencies, type SweepRequest } from '@preview-actions/core/lifecycle';
import { OWNERSHIP_TAG_KEYS } from '@preview-actions/core/preview';
import type { SandboxAwsClients } from '../sandbox/aws-clients.js';
import { sandboxAwsCredentials, sandboxAwsRegion } from '../sandbox/sandbox-constants.js';
import { startCloudflareStandIn, type CloudflareStandIn } from '../standins/cloudflare/server.js';
import { defaultStandInToken, startGitHubStandIn, type GitHubStandIn } from '../standins/github/server.js';
import { startFaultProxy, type FaultProxy } from '../sandbox/fault-proxy/server.js';
import { createFaultProxyClient } from '../sandbox/fault-proxy/client.js';
import { startPrivateBackends, type PrivateBackends } from './cleanup-backends.js';
import {
  createCleanupStage,
  NOTHING_LEFT,
  seedEnvironment,
  seedPullRequests,
  type CleanupStage,
} from './cleanup-fixtures.js';

// A budget, not a speed check: on 2 busy cores this suite has taken over 300 s.
jest.setTimeout(900_000);

const T0 = new Date('2026-03-01T00:00:00Z');
const HOUR = 3_600_000;
const at = (hours: number) => new Date(T0.getTime() + hours * HOUR);
/** Task definitions are account-wide in the shared moto: PR numbers no other run uses. */
const uniqueBase = () => 100_000 + Math.floor(Math.random() * 90_000) * 100;
const policy = { maxIdleHours: 24, hibernateGraceHours: 48, keepLabel: 'preview:keep', useLogActivity: false };

describe('cleanup-stale sweep against moto, Redis and the GitHub and Cloudflare stand-ins', () => {
  let backends: PrivateBackends;
  let aws: SandboxAwsClients;
  let github: GitHubStandIn;
  let cloudflare: CloudflareStandIn;
  let redis: Redis;
  const clock = new ManualClock(T0);
  const suffix = `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;

  beforeAll(async () => {
    backends = await startPrivateBackends();
    aws = backends.aws;
    github = await startGitHubStandIn({ validateResponses: true, now: () => clock.now(), repositories: [] });
    cloudflare = await startCloudflareStandIn({ token: 'h8-cf-token', zoneName: 'example.com' });
    redis = new Redis(backends.redisUrl, { maxRetriesPerRequest: 2, connectTimeout: 5000 });
  });

  afterAll(async () => {
    redis?.disconnect();
    await github?.close();
    await cloudflare?.close();
    await backends?.close();
  });

  async function makeStage(): Promise<CleanupStage> {
    const stage = await createCleanupStage(aws, backends, `${suffix}${Math.floor(Math.random() * 1e4).toString(36)}`);
    const [owner = '', name = ''] = stage.repo.split('/');
    github.state.createRepository({ owner, name });
    return stage;
  }

  function deps(
    stage: CleanupStage,
    io: MemoryIO,
    clients: { ecs: ECSClient; elbv2: ElasticLoadBalancingV2Client } = aws,
  ): SweepDependencies {
    const [owner = '', repo = ''] = stage.repo.split('/');
    return {
      ecs: clients.ecs,
      elbv2: clients.elbv2,
      logs: aws.logs,
      dns: {
        client: new Cloudflare({ apiToken: 'h8-cf-token', baseURL: cloudflare.url, maxRetries: 1 }),
        zoneId: cloudflare.zoneId,
      },
      redis,
      clock,
      log: createLogger(io),
      repo: { owner, repo },
      github: async () => getOctokit(defaultStandInToken, { baseUrl: github.url }),
      targetGroupRetryDelayMs: 10,
    };
  }

  function request(stage: CleanupStage, extra: Partial<SweepRequest> = {}): SweepRequest {
    return {
      scope: { repo: stage.repo, cluster: stage.cluster, listenerArn: stage.listenerArn, logGroup: stage.logGroup },
      policy,
      dryRun: false,
      maxDeletions: 100,
      notify: true,
      run: { runId: '42', runAttempt: '1' },
      ...extra,
    };
  }

  /** Every resource of `pr` still present, by kind, read straight from the backends. */
  async function inventory(stage: CleanupStage, pr: number) {
    const services = (
      await describeServicesBatched(aws.ecs, stage.cluster, await listServiceArns(aws.ecs, stage.cluster))
    ).filter((s) => s.name.startsWith(`pr-${pr}-`) && s.status === 'ACTIVE');
    const rules = (await listListenerRules(aws.elbv2, stage.listenerArn)).filter((r) =>
      r.Conditions?.some((c) => c.HostHeaderConfig?.Values?.includes(`pr-${pr}.${stage.domain}`)),
    );
    const groups =
      (await listTargetGroupsWithTags(aws.elbv2)).groups.filter(
        (g) => g.TargetGroupName?.startsWith(`pr-${pr}-`) && g.TargetGroupName.endsWith(stage.suffix),
      ) ?? [];
    const taskDefinitions: string[] = [];
    for (const service of ['api', 'worker']) {
      const out = await aws.ecs.send(
        new ListTaskDefinitionsCommand({ familyPrefix: `pr-${pr}-${service}`, status: 'ACTIVE' }),
      );
      // moto's ListTaskDefinitions ignores the status filter, so each revision's own status is read.
      for (const arn of out.taskDefinitionArns ?? []) {
        const described = await aws.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn }));
        if (described.taskDefinition?.status === 'ACTIVE') taskDefinitions.push(arn);
      }
    }
    const streams =
      (
        await aws.logs.send(
          new DescribeLogStreamsCommand({ logGroupName: stage.logGroup, logStreamNamePrefix: `pr-${pr}/` }),
        )
      ).logStreams ?? [];
    const dns = cloudflare.state.listRecords(cloudflare.zoneId).filter((r) => r.name === `pr-${pr}.${stage.domain}`);
    const keys = [...(await redis.keys(`pr-${pr}:*`)), ...(await redis.keys(`pr-${pr}-*`))];
    const data = github.state.data;
    const latest = (id: number) => data.deploymentStatuses.filter((st) => st.deploymentId === id).at(-1)?.state;
    const activeDeployments = data.deployments.filter(
      (d) => d.repo === stage.repo && d.environment === `pr-${pr}` && latest(d.id) !== 'inactive',
    );
    return { services, rules, groups, taskDefinitions, streams, dns, keys, activeDeployments };
  }

  const counts = async (stage: CleanupStage, pr: number) =>
    Object.fromEntries(Object.entries(await inventory(stage, pr)).map(([k, v]) => [k, v.length]));

  it('plans exactly, then deletes closed PRs, hibernates idle ones, deletes them after the grace period and leaves the rest', async () => {
    const stage = await makeStage();
    const base = uniqueBase();
    const kinds: { kind: string; closed?: boolean; merged?: boolean; labels?: string[] }[] = [
      ...Array.from({ length: 10 }, (_, i) => ({ kind: 'closed', closed: true, merged: i % 2 === 0 })),
      ...Array.from({ length: 8 }, () => ({ kind: 'idle' })),
      ...Array.from({ length: 2 }, () => ({ kind: 'keep', labels: ['preview:keep'] })),
      ...Array.from({ length: 2 }, () => ({ kind: 'extended' })),
      ...Array.from({ length: 6 }, () => ({ kind: 'active' })),
    ];
    const numbers = seedPullRequests(github, stage.repo, base, kinds);
    const byKind = (kind: string) => numbers.filter((_, i) => kinds[i]?.kind === kind);
    const seedDeps = { aws, vpcId: backends.vpcId, stage, cloudflare, redis };
    for (const [i, pr] of numbers.entries()) {
      const kind = kinds[i]?.kind;
      await seedEnvironment(seedDeps, {
        pr,
        deployedAt: kind === 'active' ? at(29) : T0,
        ...(kind === 'extended' ? { expiresAt: at(72) } : {}),
      });
    }
    const lookAlikes = [base + 90, base + 91];
    for (const pr of lookAlikes)
      await seedEnvironment(seedDeps, { pr, deployedAt: T0, untagged: true, services: ['api'] });
    const unreadable = base + 95; // tagged as ours, but no such PR on GitHub: reported as missing, left alone
    await seedEnvironment(seedDeps, { pr: unreadable, deployedAt: T0 });
    await redis.set(`pr-${base}0:must-stay`, '1');
    clock.advance(30 * HOUR);

    const all = [...numbers, unreadable];
    const before = await Promise.all(all.map((pr) => counts(stage, pr)));
    const graphqlBefore = github.requests.count('POST /graphql');

    const dry = await sweepPreviews(request(stage, { dryRun: true }), deps(stage, new MemoryIO()));
    expect(dry.deleted.map((d) => d.pr)).toEqual(byKind('closed'));
    expect(dry.hibernated.map((d) => d.pr)).toEqual(byKind('idle'));
    expect(dry.skipped.map((d) => d.pr).sort()).toEqual(
      [...byKind('keep'), ...byKind('extended'), ...byKind('active'), unreadable].sort(),
    );
    expect(dry.skipped.find((s) => s.pr === unreadable)?.reason).toMatch(/GitHub says #\d+ does not exist/);
    expect(dry.missing).toEqual([unreadable]);
    // Untagged target groups are region-wide, so earlier runs' look-alikes show up too: keep this run's.
    expect(
      dry.orphans
        .filter((o) => o.kind === 'ecs-service' || o.name.endsWith(stage.suffix))
        .map((o) => `${o.kind}:${o.name}`)
        .sort(),
    ).toEqual(
      lookAlikes
        .flatMap((pr) => [
          `ecs-service:pr-${pr}-api`,
          `target-group:pr-${pr}-api-${stage.suffix}`.slice(0, 'target-group:'.length + 32),
        ])
        .sort(),
    );
    expect(github.requests.count('POST /graphql') - graphqlBefore).toBe(1);
    expect(await Promise.all(all.map((pr) => counts(stage, pr)))).toEqual(before);

    const real = await sweepPreviews(request(stage), deps(stage, new MemoryIO()));
    expect(real.failures).toEqual([]);
    expect(real.deleted.map((d) => d.pr)).toEqual(byKind('closed'));
    expect(real.hibernated.map((d) => d.pr)).toEqual(byKind('idle'));
    for (const pr of byKind('closed')) {
      expect(await counts(stage, pr)).toEqual(NOTHING_LEFT);
    }
    expect(await redis.get(`pr-${base}0:must-stay`)).toBe('1');
    for (const pr of byKind('idle')) {
      const { services } = await inventory(stage, pr);
      expect(services.map((s) => [s.service?.desiredCount, s.tags[OWNERSHIP_TAG_KEYS.hibernatedAt]])).toEqual([
        [0, at(30).toISOString()],
        [0, at(30).toISOString()],
      ]);
      const comments = github.state.data.comments.filter((c) => c.repo === stage.repo && c.issueNumber === pr);
      expect(comments.map((c) => c.body).join()).toMatch(
        /hibernated[\s\S]*deleted after \*\*2026-03-04T06:00:00.000Z\*\*[\s\S]*\/deploy/,
      );
    }
    const untouched = [...byKind('keep'), ...byKind('extended'), ...byKind('active'), unreadable];
    for (const pr of untouched) {
      const { services } = await inventory(stage, pr);
      expect(services.map((s) => s.service?.desiredCount)).toEqual([1, 1]);
      expect(services.every((s) => !s.tags[OWNERSHIP_TAG_KEYS.hibernatedAt])).toBe(true);
      expect(await counts(stage, pr)).toEqual(before[all.indexOf(pr)]);
    }

    clock.advance(47 * HOUR);
    const early = await sweepPreviews(request(stage), deps(stage, new MemoryIO()));
    expect(early.deleted.map((d) => d.pr)).toEqual([]);
    clock.advance(1 * HOUR);
    const later = await sweepPreviews(request(stage), deps(stage, new MemoryIO()));
    expect(later.failures).toEqual([]);
    expect(later.deleted.map((d) => d.pr)).toEqual(expect.arrayContaining(byKind('idle')));
    for (const pr of byKind('idle')) {
      expect((await counts(stage, pr)).services).toBe(0);
      expect((await counts(stage, pr)).dns).toBe(0);
      const bodies = github.state.data.comments
        .filter((c) => c.repo === stage.repo && c.issueNumber === pr)
        .map((c) => c.body);
      expect(bodies.join()).toMatch(/deleted[\s\S]*\/deploy/);
    }
    expect(later.skipped.map((s) => s.pr)).toEqual(expect.arrayContaining(byKind('keep')));
  });

  it('aborts with zero deletions when the plan exceeds max-deletions', async () => {
    const stage = await makeStage();
    const numbers = seedPullRequests(github, stage.repo, uniqueBase(), [
      { closed: true },
      { closed: true },
      { closed: true },
    ]);
    for (const pr of numbers)
      await seedEnvironment({ aws, vpcId: backends.vpcId, stage, cloudflare, redis }, { pr, deployedAt: clock.now() });
    const before = await Promise.all(numbers.map((pr) => counts(stage, pr)));
    const result = await sweepPreviews(request(stage, { maxDeletions: 2 }), deps(stage, new MemoryIO()));
    expect(result.aborted).toMatch(/3 environments, more than max-deletions \(2\)/);
    expect(result.deleted).toEqual([]);
    expect(await Promise.all(numbers.map((pr) => counts(stage, pr)))).toEqual(before);
  });

  it('converges on a re-run after a crash in the middle of the deletions', async () => {
    const stage = await makeStage();
    const numbers = seedPullRequests(github, stage.repo, uniqueBase(), [
      { closed: true },
      { closed: true },
      { merged: true },
      { closed: true },
    ]);
    for (const pr of numbers)
      await seedEnvironment({ aws, vpcId: backends.vpcId, stage, cloudflare, redis }, { pr, deployedAt: clock.now() });
    let proxy: FaultProxy | undefined;
    const through = {
      ecs: undefined as unknown as ECSClient,
      elbv2: undefined as unknown as ElasticLoadBalancingV2Client,
    };
    try {
      proxy = await startFaultProxy({ targets: { aws: { url: backends.awsUrl, kind: 'aws' } } });
      const config = {
        endpoint: proxy.urls.aws,
        region: sandboxAwsRegion,
        credentials: sandboxAwsCredentials,
        maxAttempts: 1,
      };
      through.ecs = new ECSClient(config);
      through.elbv2 = new ElasticLoadBalancingV2Client(config);
      await createFaultProxyClient(proxy.adminUrl).addRules({ target: 'aws', failNthMutating: 7 });
      const crashed = await sweepPreviews(request(stage), deps(stage, new MemoryIO(), through));
      expect(crashed.failures.length).toBeGreaterThan(0);
      expect(crashed.failures[0]?.error).toMatch(/500|Internal|InternalFailure|ServiceUnavailable|Unknown/i);

      const rerun = await sweepPreviews(request(stage), deps(stage, new MemoryIO(), through));
      expect(rerun.failures).toEqual([]);
      expect(rerun.deleted.map((d) => d.pr).sort()).toEqual(crashed.failures.map((f) => f.pr).sort());
      for (const pr of numbers) {
        expect(await counts(stage, pr)).toEqual(NOTHING_LEFT);
      }
    } finally {
      through.ecs?.destroy();
      through.elbv2?.destroy();
      await proxy?.close();
    }
  });
});
