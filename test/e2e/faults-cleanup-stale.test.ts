import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { DescribeLogStreamsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateServiceCommand,
  DescribeTaskDefinitionCommand,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import { CreateTargetGroupCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { Redis } from 'ioredis';
import { listRulesWithTags, listTargetGroupsWithTags } from '@preview-actions/core/alb';
import { describeServicesBatched } from '@preview-actions/core/ecs';
import type { ActionRun } from '../harness/index.js';
import { createFaultProxyClient, type FaultProxyClient } from '../sandbox/fault-proxy/client.js';
import type { FaultRuleSpec } from '../sandbox/fault-proxy/rules.js';
import { startFaultProxy, type FaultProxy } from '../sandbox/fault-proxy/server.js';
import { startCloudflareStandIn, type CloudflareStandIn } from '../standins/cloudflare/server.js';
import { startGitHubStandIn, type GitHubStandIn } from '../standins/github/server.js';
import { startPrivateBackends, type PrivateBackends } from './cleanup-backends.js';
import {
  createCleanupStage,
  NOTHING_LEFT,
  runCleanupStale,
  seedEnvironment,
  seedPullRequests,
  type CleanupStage,
} from './cleanup-fixtures.js';
import { countMutatingCalls, expectOneClearOutcome, withFaultRules } from './fault-outcomes.js';

// cleanup-stale (bundled) sweeping with its AWS, Cloudflare and GitHub (REST and GraphQL) traffic through a
// PRIVATE fault proxy in front of a private moto and the in-process stand-ins. Every faulted sweep ends in
// success or one clear error; a sweep without faults then leaves nothing of the closed PRs' environments; and
// what we do not own (look-alikes named like ours, another repository's environment) and what must stay (an
// open PR's live environment) read exactly as before.
jest.setTimeout(900_000);

const CF_TOKEN = 'faults-cleanup-cf';
const SERVICES = ['api', 'worker'];
let backends: PrivateBackends;
let github: GitHubStandIn;
let cloudflare: CloudflareStandIn;
let redis: Redis;
let proxy: FaultProxy;
let faults: FaultProxyClient;
let stage: CleanupStage;
/** The next PR number to open; each scenario seeds fresh closed PRs. */
let nextPr = 100;
/** Closed in our repository, but only look-alikes carry its number: a service, a target group, a DNS record. */
let lookAlikePr: number;
/** Closed in our repository too, but the environment with its number is another repository's. */
let otherRepoPr: number;
/** Open and recently deployed: its environment must stay. */
let openPr: number;
let keptBefore: unknown;

function sweep(inputs: Record<string, string> = {}): Promise<ActionRun> {
  return runCleanupStale(
    stage,
    {
      githubUrl: proxy.urls.github!,
      githubGraphqlUrl: `${proxy.urls.github!}/graphql`,
      cloudflareUrl: proxy.urls.cloudflare!,
      cloudflareZoneId: cloudflare.zoneId,
      cloudflareToken: CF_TOKEN,
      awsUrl: proxy.urls.aws!,
      redisUrl: backends.redisUrl,
    },
    inputs,
    240_000,
  );
}

/** Opens PRs (with a successful deployment each) numbered after every earlier one. */
function openPullRequests(pulls: { closed?: boolean; merged?: boolean }[]): number[] {
  const numbers = seedPullRequests(github, stage.repo, nextPr, pulls);
  nextPr += pulls.length;
  return numbers;
}

/** Two closed PRs (one merged), each with a whole environment of ours: the sweep's work in every scenario. */
async function seedClosedEnvironments(): Promise<number[]> {
  const numbers = openPullRequests([{ closed: true }, { merged: true }]);
  for (const pr of numbers) await seedEnvironment(seedDeps(), { pr, deployedAt: new Date() });
  return numbers;
}

function seedDeps(forStage: CleanupStage = stage) {
  return { aws: backends.aws, vpcId: backends.vpcId, stage: forStage, cloudflare, redis };
}

/** Everything named or numbered like PR `pr`'s environment, read in full straight from the backends. */
async function readEnvironment(pr: number) {
  const { ecs, elbv2, logs } = backends.aws;
  const prefix = `pr-${pr}-`;
  const host = `pr-${pr}.${stage.domain}`;
  // by name: ListServices keeps naming every deleted service, so listing grows with each scenario
  const names = [...SERVICES, 'legacy'].map((service) => `${prefix}${service}`);
  const services = (await describeServicesBatched(ecs, stage.cluster, names))
    .filter((s) => s.status === 'ACTIVE')
    .map((s) => ({
      name: s.name,
      desiredCount: s.service?.desiredCount,
      taskDefinition: s.service?.taskDefinition,
      tags: s.tags,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const listed = await listRulesWithTags(elbv2, stage.listenerArn);
  const rules = listed.rules
    .filter((r) => r.Conditions?.some((c) => c.HostHeaderConfig?.Values?.includes(host)))
    .map((r) => ({
      arn: r.RuleArn,
      priority: r.Priority,
      conditions: r.Conditions,
      actions: r.Actions,
      tags: listed.tags.get(r.RuleArn ?? ''),
    }));
  const groupsWithTags = await listTargetGroupsWithTags(elbv2);
  const groups = groupsWithTags.groups
    .filter((g) => g.TargetGroupName?.startsWith(prefix))
    .map((g) => ({
      name: g.TargetGroupName,
      arn: g.TargetGroupArn,
      port: g.Port,
      tags: groupsWithTags.tags.get(g.TargetGroupArn ?? ''),
    }));
  const taskDefinitions: { arn: string; status?: string }[] = [];
  for (const service of [...SERVICES, 'legacy']) {
    const out = await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: `${prefix}${service}` }));
    for (const arn of out.taskDefinitionArns ?? []) {
      const described = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn }));
      taskDefinitions.push({ arn, status: described.taskDefinition?.status });
    }
  }
  const streams = (
    (await logs.send(new DescribeLogStreamsCommand({ logGroupName: stage.logGroup, logStreamNamePrefix: `pr-${pr}/` })))
      .logStreams ?? []
  ).map((s) => s.logStreamName);
  const dns = cloudflare.state
    .listRecords(cloudflare.zoneId)
    .filter((r) => r.name === host)
    .map((r) => ({ id: r.id, type: r.type, content: r.content, proxied: r.proxied, comment: r.comment }));
  const keys: Record<string, unknown> = {};
  for (const key of [...(await redis.keys(`pr-${pr}:*`)), ...(await redis.keys(`pr-${pr}-*`))].sort()) {
    keys[key] = (await redis.type(key)) === 'list' ? await redis.lrange(key, 0, -1) : await redis.get(key);
  }
  const data = github.state.data;
  const deployments = data.deployments
    .filter((d) => d.repo === stage.repo && d.environment === `pr-${pr}`)
    .map((d) => ({ id: d.id, state: data.deploymentStatuses.filter((s) => s.deploymentId === d.id).at(-1)?.state }));
  return { services, rules, groups, taskDefinitions, streams, dns, keys, deployments };
}

/** How much of PR `pr`'s environment is still live, by kind. */
async function countLeft(pr: number) {
  const env = await readEnvironment(pr);
  return {
    services: env.services.length,
    rules: env.rules.length,
    groups: env.groups.length,
    taskDefinitions: env.taskDefinitions.filter((t) => t.status === 'ACTIVE').length,
    streams: env.streams.length,
    dns: env.dns.length,
    keys: Object.keys(env.keys).length,
    activeDeployments: env.deployments.filter((d) => d.state !== 'inactive').length,
  };
}

/** Everything a sweep must never change: the look-alikes, the other repository's environment, the open PR's. */
async function readKept() {
  return {
    lookAlikes: await readEnvironment(lookAlikePr),
    otherRepository: await readEnvironment(otherRepoPr),
    open: await readEnvironment(openPr),
  };
}

/** A re-run without faults succeeds and leaves nothing of `closed`; what we keep is as it was. */
async function expectConverged(closed: number[], label: string): Promise<void> {
  const rerun = await sweep();
  const errors = rerun.annotations.filter((a) => a.level === 'error').map((a) => a.message);
  expect({ label, exitCode: rerun.exitCode, errors }).toEqual({ label, exitCode: 0, errors: [] });
  for (const pr of closed) expect({ label, pr, left: await countLeft(pr) }).toEqual({ label, pr, left: NOTHING_LEFT });
  expect(await readKept()).toEqual(keptBefore);
}

/** Look-alikes carrying `pr`'s number: named like ours, with someone else's tags and comment. */
async function seedLookAlikes(pr: number): Promise<void> {
  const name = `pr-${pr}-legacy`;
  const foreignTags = [{ key: 'team', value: 'someone-else' }];
  const td = await backends.aws.ecs.send(
    new RegisterTaskDefinitionCommand({
      family: name,
      containerDefinitions: [{ name: 'legacy', image: 'nginx:alpine', memory: 128, cpu: 128 }],
      tags: foreignTags,
    }),
  );
  await backends.aws.ecs.send(
    new CreateServiceCommand({
      cluster: stage.cluster,
      serviceName: name,
      taskDefinition: td.taskDefinition?.taskDefinitionArn,
      desiredCount: 1,
      tags: foreignTags,
    }),
  );
  await backends.aws.elbv2.send(
    new CreateTargetGroupCommand({
      Name: `${name}-${stage.suffix}`.slice(0, 32),
      Protocol: 'HTTP',
      Port: 81,
      VpcId: backends.vpcId,
      TargetType: 'ip',
      Tags: [{ Key: 'team', Value: 'someone-else' }],
    }),
  );
  // exactly the name our record would have, but not our ownership comment
  cloudflare.state.createRecord(cloudflare.zoneId, {
    name: `pr-${pr}.${stage.domain}`,
    type: 'CNAME',
    content: 'legacy.example.test',
    proxied: false,
    comment: 'managed by another team',
  });
}

beforeAll(async () => {
  backends = await startPrivateBackends();
  github = await startGitHubStandIn({ validateResponses: true, repositories: [] });
  cloudflare = await startCloudflareStandIn({ token: CF_TOKEN, zoneName: 'example.com' });
  redis = new Redis(backends.redisUrl, { maxRetriesPerRequest: 2 });
  proxy = await startFaultProxy({
    targets: {
      aws: { url: backends.awsUrl, kind: 'aws' },
      cloudflare: { url: cloudflare.url, kind: 'cloudflare' },
      github: { url: github.url, kind: 'github' },
    },
  });
  faults = createFaultProxyClient(proxy.adminUrl);
  stage = await createCleanupStage(backends.aws, backends, `fc${Date.now().toString(36)}`);
  const [owner = '', name = ''] = stage.repo.split('/');
  github.state.createRepository({ owner, name });

  [lookAlikePr, otherRepoPr, openPr] = openPullRequests([{ closed: true }, { merged: true }, {}]) as [
    number,
    number,
    number,
  ];
  await seedLookAlikes(lookAlikePr);
  await seedEnvironment(seedDeps({ ...stage, repo: `${owner}/someone-elses-${name}` }), {
    pr: otherRepoPr,
    deployedAt: new Date(),
  });
  await seedEnvironment(seedDeps(), { pr: openPr, deployedAt: new Date() });
  keptBefore = await readKept();
  // what is compared after every scenario is really there
  expect(await countLeft(lookAlikePr)).toMatchObject({ services: 1, groups: 1, taskDefinitions: 1, dns: 1 });
  expect(await countLeft(otherRepoPr)).toMatchObject({ services: 2, rules: 2, groups: 2, dns: 1, keys: 2 });
  expect(await countLeft(openPr)).toMatchObject({
    services: 2,
    rules: 2,
    groups: 2,
    taskDefinitions: 2,
    streams: 2,
    dns: 1,
    keys: 2,
    activeDeployments: 1,
  });
}, 300_000);

afterAll(async () => {
  redis?.disconnect();
  await proxy?.close();
  await github?.close();
  await cloudflare?.close();
  await backends?.close();
});

describe('cleanup-stale through AWS, Cloudflare and GitHub faults', () => {
  it('a clean sweep deletes both closed environments and keeps the rest (the baseline)', async () => {
    const closed = await seedClosedEnvironments();
    const run = await sweep();
    expect(run.exitCode).toBe(0);
    expect((JSON.parse(run.outputs.deleted ?? '[]') as { pr: number }[]).map((d) => d.pr)).toEqual(closed);
    const orphans = (JSON.parse(run.outputs.orphans ?? '[]') as { kind: string; name: string }[]).map(
      (o) => `${o.kind}:${o.name}`,
    );
    expect(orphans).toEqual(
      expect.arrayContaining([`ecs-service:pr-${lookAlikePr}-legacy`, expect.stringMatching(/^target-group:/)]),
    );
    for (const pr of closed) expect(await countLeft(pr)).toEqual(NOTHING_LEFT);
    expect(await readKept()).toEqual(keptBefore);
  });

  // `true` third: the fault outlasts every retry, so the run must fail, with one clear error.
  const storms: [string, FaultRuleSpec[], boolean?][] = [
    ['an AWS throttling storm (15 × ThrottlingException)', [{ target: 'aws', throttle: 15, retryAfterSeconds: 0.2 }]],
    ['an AWS 5xx burst (8 × 503)', [{ target: 'aws', status5xx: { times: 8, code: 503 } }]],
    ['AWS connection resets (6)', [{ target: 'aws', reset: 6 }]],
    [
      'AWS resets after the delete happened (4 deletes)',
      [{ target: 'aws', operation: '*:Delete*', reset: 4, afterForward: true }],
    ],
    [
      // the teardown stops at the log streams, after the services, target groups and rules are gone
      'logs:DeleteLogStream answered 503 through every retry',
      [{ target: 'aws', operation: 'logs:DeleteLogStream', status5xx: { times: 24, code: 503 } }],
      true,
    ],
    [
      'ecs:DeleteService answered 503 through every retry',
      [{ target: 'aws', operation: 'ecs:DeleteService', status5xx: { times: 24, code: 503 } }],
      true,
    ],
    [
      'Cloudflare throttling and a 5xx burst',
      [
        { target: 'cloudflare', throttle: 4, retryAfterSeconds: 0.2 },
        { target: 'cloudflare', status5xx: { times: 4, code: 502 } },
      ],
    ],
    [
      'Cloudflare deletes applied but answered 502 (2)',
      [{ target: 'cloudflare', operation: 'DELETE *', status5xx: { times: 2, code: 502 }, afterForward: true }],
    ],
    [
      'a GitHub secondary rate limit on the PR-state query',
      [{ target: 'github', operation: 'POST /graphql', throttle: 2, retryAfterSeconds: 1 }],
    ],
    [
      'a GitHub secondary rate limit on the deployment writes',
      [{ target: 'github', operation: 'POST /repos/*', throttle: 2, retryAfterSeconds: 1 }],
    ],
    ['GitHub 5xx on the deployment reads', [{ target: 'github', operation: 'GET /repos/*', status5xx: 2 }]],
    // a REST POST is never retried (it may have happened), so this teardown stops at its GitHub step
    ['GitHub 5xx on the deployment writes', [{ target: 'github', operation: 'POST /repos/*', status5xx: 2 }], true],
    [
      'GitHub 5xx on the deployment writes, after GitHub applied them',
      [{ target: 'github', operation: 'POST /repos/*', status5xx: { times: 2, code: 502 }, afterForward: true }],
    ],
    ['everything at once', [{ throttle: 6, retryAfterSeconds: 1 }, { status5xx: 6 }, { reset: 4 }]],
  ];
  storms.forEach(([name, rules, fails]) => {
    it(`${name}: success or one clear error, then a re-run leaves nothing of the closed PRs`, async () => {
      const closed = await seedClosedEnvironments();
      const faulted = await withFaultRules(faults, rules, () => sweep());
      expectOneClearOutcome(faulted);
      if (fails) expect(faulted.exitCode).toBe(1);
      await expectConverged(closed, name);
    });
  });

  it('without DNS configured, a teardown stopped at the log streams leaves its stopped services, so the next sweep finds it and finishes', async () => {
    const closed = await seedClosedEnvironments();
    const noDns = { 'cloudflare-zone-id': '', 'cloudflare-api-token': '' };
    const faulted = await withFaultRules(
      faults,
      [{ target: 'aws', operation: 'logs:DeleteLogStream', status5xx: { times: 24, code: 503 } }],
      () => sweep(noDns),
    );
    expectOneClearOutcome(faulted);
    expect(faulted.exitCode).toBe(1);
    const failed = JSON.parse(faulted.outputs.failed ?? '[]') as { pr: number; step: string }[];
    expect(failed.map((f) => [f.pr, f.step]).sort()).toEqual(closed.map((pr) => [pr, 'log-streams']).sort());
    for (const pr of closed) {
      // stopped, not deleted: the tagged services are what the next sweep finds the environment by
      expect(await countLeft(pr)).toMatchObject({ services: 2, rules: 0, groups: 0, taskDefinitions: 0, streams: 2 });
    }
    const rerun = await sweep(noDns);
    expect({
      exit: rerun.exitCode,
      deleted: (JSON.parse(rerun.outputs.deleted ?? '[]') as { pr: number }[]).map((d) => d.pr),
    }).toEqual({
      exit: 0,
      deleted: closed,
    });
    // DNS was not this run's to touch; everything else is gone
    for (const pr of closed) expect(await countLeft(pr)).toEqual({ ...NOTHING_LEFT, dns: 1 });
    await expectConverged(closed, 'with DNS again');
  });

  it('failing the k-th mutating AWS call of a two-environment sweep, for every k, after AWS applied it: a re-run converges', async () => {
    const probe = await seedClosedEnvironments();
    await faults.reset();
    expect((await sweep()).exitCode).toBe(0);
    const writes = await countMutatingCalls(faults, 'aws');
    for (const pr of probe) expect(await countLeft(pr)).toEqual(NOTHING_LEFT);
    // per environment: 2 rules, 2 target groups, 2 services stopped, task definitions, 2 streams, 2 services deleted
    expect(writes).toBeGreaterThanOrEqual(2 * 11);
    const outcomes: string[] = [];
    for (let k = 1; k <= writes; k++) {
      // After AWS applied it: the SDK's retry then meets a call that already happened. A 500 before AWS applies
      // the call is only a retried call, which the 5xx burst above covers; a loop of it would double the time.
      const label = `k=${k}`;
      const closed = await seedClosedEnvironments();
      const faulted = await withFaultRules(
        faults,
        [{ target: 'aws', failNthMutating: k, afterForward: true }],
        async () => {
          const run = await sweep();
          const fired = (await faults.rules()).every((r) => r.failNthFired);
          expect({ label, fired }).toEqual({ label, fired: true });
          return run;
        },
      );
      expectOneClearOutcome(faulted);
      outcomes.push(`${label}: exit ${faulted.exitCode}`);
      await expectConverged(closed, label);
    }
    expect(outcomes).toHaveLength(writes);
  });

  it('the look-alikes, the other repository’s environment and the open PR’s are exactly as before', async () => {
    expect(await readKept()).toEqual(keptBefore);
  });
});
