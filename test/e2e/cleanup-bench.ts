import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { getOctokit } from '@actions/github';
import Cloudflare from 'cloudflare';
import { Redis } from 'ioredis';
import { ManualClock, MemoryIO, createLogger } from '@preview-actions/core/action';
import { sweepPreviews } from '@preview-actions/core/lifecycle';
import { startPrivateBackends } from './cleanup-backends.js';
import { createCleanupStage, seedEnvironment, seedPullRequests } from './cleanup-fixtures.js';
import { createFaultProxyClient } from '../sandbox/fault-proxy/client.js';
import { startFaultProxy } from '../sandbox/fault-proxy/server.js';
import { sandboxAwsCredentials, sandboxAwsRegion } from '../sandbox/sandbox-constants.js';
import { startCloudflareStandIn } from '../standins/cloudflare/server.js';
import { defaultStandInToken, startGitHubStandIn } from '../standins/github/server.js';

const LATENCY_MS = 20;
const HOUR = 3_600_000;
const T0 = new Date('2026-03-01T00:00:00Z');

/** The figures bench/cleanup-sweep.ts prints. */
export interface CleanupBenchFigures {
  environments: number;
  latencyMsPerCall: number;
  wallSeconds: number;
  deleted: number;
  hibernated: number;
  skipped: number;
  failures: number;
  callsPerBackend: Record<string, number>;
  githubStateQueries: number;
  busiest: Record<string, string>;
}

/**
 * Seeds `total` environments (half of closed PRs, a quarter idle, a quarter active; one service each) on a
 * private moto and Redis and in-process stand-ins, then sweeps them through a fault proxy adding 20 ms to
 * every call, and returns the wall time and the calls per backend.
 */
export async function runCleanupBench(total: number): Promise<CleanupBenchFigures> {
  let figures: CleanupBenchFigures | undefined;
  const clock = new ManualClock(T0);
  const backends = await startPrivateBackends();
  const github = await startGitHubStandIn({ now: () => clock.now(), repositories: [] });
  const cloudflare = await startCloudflareStandIn({ token: 'bench-cf', zoneName: 'example.com' });
  const redis = new Redis(backends.redisUrl, { maxRetriesPerRequest: 2 });
  const proxy = await startFaultProxy({
    targets: {
      aws: { url: backends.awsUrl, kind: 'aws' },
      github: { url: github.url, kind: 'github' },
      cloudflare: { url: cloudflare.url, kind: 'cloudflare' },
    },
  });
  const clientConfig = {
    endpoint: proxy.urls.aws,
    region: sandboxAwsRegion,
    credentials: sandboxAwsCredentials,
    maxAttempts: 3,
  };
  const ecs = new ECSClient(clientConfig);
  const elbv2 = new ElasticLoadBalancingV2Client(clientConfig);
  const logs = new CloudWatchLogsClient(clientConfig);
  try {
    const stage = await createCleanupStage(backends.aws, backends, `bench${Date.now().toString(36)}`);
    const [owner = '', name = ''] = stage.repo.split('/');
    github.state.createRepository({ owner, name });
    const closed = Math.floor(total / 2);
    const idle = Math.floor(total / 4);
    const kinds: { kind: string; closed?: boolean }[] = [
      ...Array.from({ length: closed }, () => ({ kind: 'closed', closed: true })),
      ...Array.from({ length: idle }, () => ({ kind: 'idle' })),
      ...Array.from({ length: total - closed - idle }, () => ({ kind: 'active' })),
    ];
    const seedStarted = Date.now();
    const numbers = seedPullRequests(github, stage.repo, 1, kinds);
    const seedDeps = { aws: backends.aws, vpcId: backends.vpcId, stage, cloudflare, redis };
    for (const [i, pr] of numbers.entries()) {
      await seedEnvironment(seedDeps, {
        pr,
        services: ['api'],
        deployedAt: kinds[i]?.kind === 'active' ? new Date(T0.getTime() + 29 * HOUR) : T0,
      });
    }
    console.error(`seeded ${total} environments in ${((Date.now() - seedStarted) / 1000).toFixed(1)} s`);
    clock.advance(30 * HOUR);

    const admin = createFaultProxyClient(proxy.adminUrl);
    await admin.reset();
    await admin.addRules({ target: '*', latencyMs: LATENCY_MS });
    const started = process.hrtime.bigint();
    const result = await sweepPreviews(
      {
        scope: { repo: stage.repo, cluster: stage.cluster, listenerArn: stage.listenerArn, logGroup: stage.logGroup },
        policy: { maxIdleHours: 24, hibernateGraceHours: 48, keepLabel: 'preview:keep', useLogActivity: false },
        dryRun: false,
        maxDeletions: total,
        notify: true,
        run: { runId: '1', runAttempt: '1' },
        concurrency: 8,
      },
      {
        ecs,
        elbv2,
        logs,
        dns: {
          client: new Cloudflare({ apiToken: 'bench-cf', baseURL: proxy.urls.cloudflare, maxRetries: 2 }),
          zoneId: cloudflare.zoneId,
        },
        redis,
        clock,
        log: createLogger(new MemoryIO()),
        repo: { owner, repo: name },
        github: async () => getOctokit(defaultStandInToken, { baseUrl: proxy.urls.github }),
        targetGroupRetryDelayMs: 100,
      },
    );
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    const counters = await admin.counters();
    const perTarget = Object.fromEntries(
      Object.entries(counters).map(([target, ops]) => [
        target,
        Object.values(ops).reduce((sum, c) => sum + c.calls, 0),
      ]),
    );
    const graphql = Object.entries(counters.github ?? {})
      .filter(([operation]) => operation.includes('graphql'))
      .reduce((sum, [, c]) => sum + c.calls, 0);
    const top = (target: string) =>
      Object.entries(counters[target] ?? {})
        .sort((a, b) => b[1].calls - a[1].calls)
        .slice(0, 8)
        .map(([operation, c]) => `${operation}=${c.calls}`)
        .join(', ');
    figures = {
      environments: total,
      latencyMsPerCall: LATENCY_MS,
      wallSeconds: Number((wallMs / 1000).toFixed(2)),
      deleted: result.deleted.length,
      hibernated: result.hibernated.length,
      skipped: result.skipped.length,
      failures: result.failures.length,
      callsPerBackend: perTarget,
      githubStateQueries: graphql,
      busiest: { aws: top('aws'), github: top('github'), cloudflare: top('cloudflare') },
    };
    if (result.failures.length) console.error(JSON.stringify(result.failures.slice(0, 3), null, 2));
  } finally {
    ecs.destroy();
    elbv2.destroy();
    logs.destroy();
    redis.disconnect();
    await proxy.close();
    await github.close();
    await cloudflare.close();
    await backends.close();
  }
  if (!figures) throw new Error('the bench sweep produced no figures');
  return figures;
}
