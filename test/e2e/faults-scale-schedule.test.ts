import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  RegisterTaskDefinitionCommand,
  type Tag,
} from '@aws-sdk/client-ecs';
import { describeServicesBatched, listServiceArns, toEcsTags } from '@preview-actions/core/ecs';
import { FULL_COUNT_TAG } from '@preview-actions/core/lifecycle';
import { createOwnershipTags } from '@preview-actions/core/preview';
import { runActionBundle, type ActionRun } from '../harness/index.js';
import { workflowDispatchEvent } from '../harness/events.js';
import { createFaultProxyClient, type FaultProxyClient } from '../sandbox/fault-proxy/client.js';
import type { FaultRuleSpec } from '../sandbox/fault-proxy/rules.js';
import { startFaultProxy, type FaultProxy } from '../sandbox/fault-proxy/server.js';
import { sandboxAwsCredentials, sandboxAwsRegion } from '../sandbox/sandbox-constants.js';
import { startPrivateBackends, type PrivateBackends } from './cleanup-backends.js';
import { countMutatingCalls, expectOneClearOutcome, withFaultRules } from './fault-outcomes.js';

// scale-schedule (bundled, default profile api=1, admin=0, celery-*=0) with its AWS traffic through a PRIVATE
// fault proxy in front of a private moto: throttling, 5xx, connection resets and a 500 on the k-th write for
// every k, going down and then up. Every faulted run ends in success or one clear error; a re-run converges
// (down: the profile's counts with the full ones remembered; up: the exact full counts, nothing remembered);
// the hibernated environment, another repository's services and untagged look-alikes never change.
jest.setTimeout(900_000);

type Mode = 'down' | 'up';

const suffix = `${process.pid.toString(36)}${Date.now().toString(36).slice(-5)}`;
const cluster = `h8-scale-faults-${suffix}`;
const repo = `h8-org/scale-faults-${suffix}`;
const FULL_COUNTS: Record<string, number> = { api: 3, admin: 1, 'celery-worker': 2, web: 2 };
/** Our two live environments at full capacity: [desired count, remembered full count]. */
const FULL = Object.fromEntries(
  [1, 2].flatMap((pr) => Object.entries(FULL_COUNTS).map(([s, n]) => [`pr-${pr}-${s}`, [n, undefined]])),
);
/** The same under the default reduced profile; `web` is not named by it and keeps its count. */
const DOWN = Object.fromEntries(
  [1, 2].flatMap((pr) => [
    [`pr-${pr}-api`, [1, '3']],
    [`pr-${pr}-admin`, [0, '1']],
    [`pr-${pr}-celery-worker`, [0, '2']],
    [`pr-${pr}-web`, [2, undefined]],
  ]),
);

let backends: PrivateBackends;
let proxy: FaultProxy;
let faults: FaultProxyClient;
let keptBefore: unknown;

function scale(mode: Mode): Promise<ActionRun> {
  return runActionBundle({
    action: 'scale-schedule',
    repository: repo,
    event: workflowDispatchEvent({ mode }, { repository: repo }),
    inputs: { cluster, mode },
    env: {
      AWS_ENDPOINT_URL: proxy.urls.aws!,
      AWS_REGION: sandboxAwsRegion,
      AWS_ACCESS_KEY_ID: sandboxAwsCredentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: sandboxAwsCredentials.secretAccessKey,
    },
    timeoutMs: 240_000,
  });
}

async function readServices() {
  const { ecs } = backends.aws;
  return describeServicesBatched(ecs, cluster, await listServiceArns(ecs, cluster));
}

/** Our live environments' services: [desired count, remembered full count]. */
async function readOurCounts() {
  return Object.fromEntries(
    (await readServices())
      .filter((s) => s.name in FULL)
      .map((s) => [s.name, [s.service?.desiredCount, s.tags[FULL_COUNT_TAG]]]),
  );
}

/** Every other service of the cluster in full: the hibernated environment, another repository's, look-alikes. */
async function readKept() {
  return (await readServices())
    .filter((s) => !(s.name in FULL))
    .map((s) => ({
      name: s.name,
      status: s.status,
      desiredCount: s.service?.desiredCount,
      taskDefinition: s.service?.taskDefinition,
      tags: s.tags,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** A re-run of `mode` without faults succeeds and leaves our counts at `expected`; the rest is as it was. */
async function expectConverged(mode: Mode, expected: Record<string, unknown>, label: string): Promise<void> {
  const rerun = await scale(mode);
  const errors = rerun.annotations.filter((a) => a.level === 'error').map((a) => a.message);
  expect({ label, mode, exitCode: rerun.exitCode, errors }).toEqual({ label, mode, exitCode: 0, errors: [] });
  expect({ label, mode, counts: await readOurCounts() }).toEqual({ label, mode, counts: expected });
  expect(await readKept()).toEqual(keptBefore);
}

/** Brings our environments to `mode`'s state with a clean run, for the next faulted one to start from. */
async function settle(mode: Mode): Promise<void> {
  expect((await scale(mode)).exitCode).toBe(0);
  expect(await readOurCounts()).toEqual(mode === 'down' ? DOWN : FULL);
}

beforeAll(async () => {
  backends = await startPrivateBackends();
  const { ecs } = backends.aws;
  proxy = await startFaultProxy({ targets: { aws: { url: backends.awsUrl, kind: 'aws' } } });
  faults = createFaultProxyClient(proxy.adminUrl);
  await ecs.send(new CreateClusterCommand({ clusterName: cluster }));
  const td = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: `h8sf-${suffix}`,
      cpu: '512',
      memory: '1024',
      containerDefinitions: [{ name: 'app', image: 'nginx', memory: 1024 }],
    }),
  );
  const seed = async (name: string, count: number, tags: Tag[]) => {
    await ecs.send(
      new CreateServiceCommand({
        cluster,
        serviceName: name,
        taskDefinition: td.taskDefinition?.taskDefinitionArn,
        desiredCount: count,
        ...(tags.length ? { tags } : {}),
      }),
    );
  };
  const owned = (pr: number, service: string, extra: { repo?: string; hibernatedAt?: Date } = {}) =>
    toEcsTags(
      createOwnershipTags({
        repo: extra.repo ?? repo,
        pr,
        service,
        deployedAt: new Date('2026-03-01T00:00:00Z'),
        ...(extra.hibernatedAt ? { hibernatedAt: extra.hibernatedAt } : {}),
      }),
    );
  for (const pr of [1, 2]) {
    for (const [service, count] of Object.entries(FULL_COUNTS))
      await seed(`pr-${pr}-${service}`, count, owned(pr, service));
  }
  const hibernatedAt = new Date('2026-03-02T00:00:00Z');
  await seed('pr-3-api', 2, owned(3, 'api', { hibernatedAt }));
  await seed('pr-3-celery-worker', 2, owned(3, 'celery-worker', { hibernatedAt }));
  // another repository's environment in the same cluster, tagged like ours
  await seed('pr-4-api', 3, owned(4, 'api', { repo: `${repo}-other` }));
  await seed('pr-4-celery-worker', 2, owned(4, 'celery-worker', { repo: `${repo}-other` }));
  // named like ours and like the profile's services, but not ours
  await seed('pr-5-api', 3, []);
  await seed('pr-1-celery-legacy', 2, [{ key: 'team', value: 'someone-else' }]);
  keptBefore = await readKept();
  expect((keptBefore as unknown[]).length).toBe(6);
  expect(await readOurCounts()).toEqual(FULL);
}, 300_000);

afterAll(async () => {
  await proxy?.close();
  await backends?.close();
});

describe('scale-schedule through AWS faults', () => {
  const writes: Record<Mode, number> = { down: 0, up: 0 };

  it('clean runs scale down to the profile and back up to the exact counts (the baseline)', async () => {
    for (const mode of ['down', 'up'] as const) {
      await faults.reset();
      await settle(mode);
      writes[mode] = await countMutatingCalls(faults, 'aws');
    }
    // each of the six profiled services: TagResource + UpdateService down, UpdateService + UntagResource up
    expect(writes).toEqual({ down: 12, up: 12 });
    expect(await readKept()).toEqual(keptBefore);
  });

  // `true` third: the fault outlasts every retry, so the run must fail, with one clear error.
  const storms: [string, FaultRuleSpec[], boolean?][] = [
    ['an AWS throttling storm (12 × ThrottlingException)', [{ target: 'aws', throttle: 12, retryAfterSeconds: 0.2 }]],
    ['an AWS 5xx burst (8 × 503)', [{ target: 'aws', status5xx: { times: 8, code: 503 } }]],
    ['AWS connection resets (6)', [{ target: 'aws', reset: 6 }]],
    [
      'AWS resets after the write happened (UpdateService and the tag writes)',
      [
        { target: 'aws', operation: 'ecs:UpdateService', reset: 2, afterForward: true },
        { target: 'aws', operation: 'ecs:*agResource', reset: 2, afterForward: true },
      ],
    ],
    [
      'ecs:UpdateService answered 503 through every retry',
      [{ target: 'aws', operation: 'ecs:UpdateService', status5xx: { times: 36, code: 503 } }],
      true,
    ],
    ['everything at once', [{ throttle: 5, retryAfterSeconds: 0.2 }, { status5xx: 5 }, { reset: 3 }]],
  ];
  storms.forEach(([name, rules, fails]) => {
    it(`${name}, down then up: success or one clear error, then a re-run converges`, async () => {
      expect(await readOurCounts()).toEqual(FULL);
      for (const [mode, expected] of [
        ['down', DOWN],
        ['up', FULL],
      ] as const) {
        const faulted = await withFaultRules(faults, rules, () => scale(mode));
        expectOneClearOutcome(faulted);
        if (fails) expect({ mode, exitCode: faulted.exitCode }).toEqual({ mode, exitCode: 1 });
        await expectConverged(mode, expected, name);
      }
    });
  });

  (['down', 'up'] as const).forEach((mode) => {
    it(`a 500 on the k-th write of mode ${mode}, for every k, before or after AWS applied it: a re-run converges`, async () => {
      expect(writes[mode]).toBeGreaterThan(0);
      const outcomes: string[] = [];
      for (let k = 1; k <= writes[mode]; k++) {
        for (const afterForward of [false, true]) {
          const label = `${mode} k=${k}${afterForward ? ' after' : ''}`;
          await settle(mode === 'down' ? 'up' : 'down');
          const faulted = await withFaultRules(
            faults,
            [{ target: 'aws', failNthMutating: k, afterForward }],
            async () => {
              const run = await scale(mode);
              const fired = (await faults.rules()).every((r) => r.failNthFired);
              expect({ label, fired }).toEqual({ label, fired: true });
              return run;
            },
          );
          expectOneClearOutcome(faulted);
          outcomes.push(`${label}: exit ${faulted.exitCode}`);
          await expectConverged(mode, mode === 'down' ? DOWN : FULL, label);
        }
      }
      expect(outcomes).toHaveLength(writes[mode] * 2);
    });
  });

  it('the hibernated environment, the other repository’s services and the look-alikes are exactly as before', async () => {
    expect(await readKept()).toEqual(keptBefore);
  });
});
