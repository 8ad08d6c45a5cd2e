import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { OciClient } from '@preview-actions/core/registry';
import { runActionBundle, type ActionRun } from '../harness/index.js';
import { CreateServiceCommand, DescribeServicesCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { createSandboxAwsClients, destroySandboxAwsClients, type SandboxAwsClients } from '../sandbox/aws-clients.js';
import { pushBehaviourImage } from '../sandbox/behaviour-image.js';
import { ensureSandbox } from '../sandbox/ensure.js';
import type { SandboxEndpoints } from '../sandbox/endpoints.js';
import { createFaultProxyClient, type FaultProxyClient } from '../sandbox/fault-proxy/client.js';
import type { FaultRuleSpec } from '../sandbox/fault-proxy/rules.js';
import { startFaultProxy, type FaultProxy } from '../sandbox/fault-proxy/server.js';
import { expectOneClearOutcome, withFaultRules } from './fault-outcomes.js';
import { readRunningRevisionDigest } from '../sandbox/running-revision-digest.js';
import { pushIndex } from './registry-fixtures.js';

// retag-promote (bundled) against the basic-auth registry through a PRIVATE fault proxy: throttling storms,
// 5xx bursts, connection resets and a 500 on the k-th registry write, for every k. Each run must end in
// success or one clear error, a re-run must converge, and tags we do not own must not move.
const run = Date.now().toString(36);
const SERVICES = ['api', 'web'];
const TARGETS = ['v1.0.0', 'prod'];

let sandbox: SandboxEndpoints;
let proxy: FaultProxy;
let faults: FaultProxyClient;
let direct: OciClient;
const sourceDigests: Record<string, string> = {};
let foreign: { repository: string; tag: string; digest: string }[] = [];
let aws: SandboxAwsClients;

/** Pushes a fresh two-platform source for every service under `prefix`; returns their index digests. */
async function seedSource(prefix: string): Promise<void> {
  for (const service of SERVICES) {
    const { index } = await pushIndex(direct, `${prefix}/${service}`, `${prefix}-${service}`, 'v1.0.0-rc.1');
    sourceDigests[`${prefix}/${service}`] = index.digest;
  }
}

function promote(prefix: string, ecs: Record<string, string> = {}): Promise<ActionRun> {
  const { username, password } = sandbox.registries.basic;
  return runActionBundle({
    action: 'retag-promote',
    inputs: {
      services: SERVICES.join('\n'),
      registry: `${new URL(proxy.urls.registry!).host}/${prefix}`,
      'registry-type': 'oci',
      'registry-username': username,
      'registry-password': password,
      'source-tag': 'v1.0.0-rc.1',
      'target-tags': TARGETS.join('\n'),
      ...ecs,
    },
    env: {
      GITHUB_API_URL: 'http://127.0.0.1:9',
      AWS_ENDPOINT_URL: proxy.urls.aws!,
      AWS_REGION: sandbox.aws.region,
      AWS_ACCESS_KEY_ID: sandbox.aws.accessKeyId,
      AWS_SECRET_ACCESS_KEY: sandbox.aws.secretAccessKey,
    },
    timeoutMs: 240_000,
  });
}

/** Where every target tag of `prefix` points now, read straight from the registry. */
async function readTargets(prefix: string): Promise<Record<string, string | undefined>> {
  const result: Record<string, string | undefined> = {};
  for (const service of SERVICES) {
    for (const tag of TARGETS) {
      result[`${service}:${tag}`] = (await direct.headManifest(`${prefix}/${service}`, tag))?.digest;
    }
  }
  return result;
}

function expectedTargets(prefix: string): Record<string, string> {
  return Object.fromEntries(
    SERVICES.flatMap((service) => TARGETS.map((tag) => [`${service}:${tag}`, sourceDigests[`${prefix}/${service}`]!])),
  );
}

async function registryWrites(): Promise<number> {
  return Object.values((await faults.counters()).registry ?? {}).reduce((sum, c) => sum + c.mutating, 0);
}

beforeAll(async () => {
  sandbox = await ensureSandbox();
  const { directHost, username, password } = sandbox.registries.basic;
  proxy = await startFaultProxy({
    targets: {
      registry: { url: `http://${directHost}`, kind: 'registry' },
      aws: { url: sandbox.aws.directUrl, kind: 'aws' },
    },
  });
  aws = createSandboxAwsClients(sandbox.aws.directUrl);
  faults = createFaultProxyClient(proxy.adminUrl);
  direct = new OciClient({ host: directHost, credentials: { username, password }, maskSecret: () => undefined });
  // Tags we do not own: another repository's prod, and an unrelated tag beside ours.
  const other = await pushIndex(direct, `foreign-${run}/api`, `foreign-${run}`, 'prod');
  const beside = await pushIndex(direct, `faults-${run}-base/api`, `beside-${run}`, 'keep-me');
  foreign = [
    { repository: `foreign-${run}/api`, tag: 'prod', digest: other.index.digest },
    { repository: `faults-${run}-base/api`, tag: 'keep-me', digest: beside.index.digest },
  ];
}, 900_000);

afterAll(async () => {
  if (aws) destroySandboxAwsClients(aws);
  await proxy?.close();
});

/**
 * Polls the proxy's counters until every operation in `operations` has been called, or `running` ends first
 * (false then: the moment the test meant to act in never came).
 */
async function waitForCalls(running: Promise<unknown>, operations: string[]): Promise<boolean> {
  let ended = false;
  void running.finally(() => (ended = true));
  while (!ended) {
    const aws = (await faults.counters()).aws ?? {};
    if (operations.every((operation) => (aws[operation]?.calls ?? 0) > 0)) return true;
    await sleep(100);
  }
  return false;
}

/** An ECS service in the production cluster running `image` (one task). */
async function createEcsService(name: string, image: string): Promise<void> {
  const { taskDefinition } = await aws.ecs.send(
    new RegisterTaskDefinitionCommand({ family: name, containerDefinitions: [{ name: 'app', image, memory: 128 }] }),
  );
  await aws.ecs.send(
    new CreateServiceCommand({
      cluster: sandbox.seeded.clusters.production,
      serviceName: name,
      taskDefinition: taskDefinition!.taskDefinitionArn,
      desiredCount: 1,
      launchType: 'EC2',
    }),
  );
}

async function readEcsService(name: string) {
  const { services } = await aws.ecs.send(
    new DescribeServicesCommand({ cluster: sandbox.seeded.clusters.production, services: [name] }),
  );
  const service = services?.[0];
  return {
    status: service?.status,
    taskDefinition: service?.taskDefinition,
    desiredCount: service?.desiredCount,
    deployments: service?.deployments?.length,
  };
}

describe('retag-promote through registry faults', () => {
  it('a clean run writes every target tag (the baseline the faults are measured against)', async () => {
    const prefix = `faults-${run}-base`;
    await seedSource(prefix);
    const before = await registryWrites();
    const result = await promote(prefix);
    expect(result.exitCode).toBe(0);
    expect(await readTargets(prefix)).toEqual(expectedTargets(prefix));
    expect(await registryWrites()).toBeGreaterThan(before);
  }, 300_000);

  const storms: [string, FaultRuleSpec][] = [
    ['a throttling storm (12 × 429 with retry-after)', { target: 'registry', throttle: 12, retryAfterSeconds: 0.2 }],
    ['a 5xx burst (6 × 503)', { target: 'registry', status5xx: { times: 6, code: 503 } }],
    ['connection resets (5)', { target: 'registry', reset: 5 }],
    [
      'resets after the registry processed manifest writes (3)',
      { target: 'registry', operation: 'PUT *', reset: 3, afterForward: true },
    ],
  ];
  storms.forEach(([name, rule], i) => {
    it(`${name}: success or one clear error, and a re-run converges`, async () => {
      const prefix = `faults-${run}-storm${i}`;
      await seedSource(prefix);
      const faulted = await withFaultRules(faults, [rule], () => promote(prefix));
      expectOneClearOutcome(faulted);
      const rerun = await promote(prefix);
      expect(rerun.exitCode).toBe(0);
      expect(await readTargets(prefix)).toEqual(expectedTargets(prefix));
      expect(JSON.parse(rerun.outputs.digests!)).toEqual(
        Object.fromEntries(SERVICES.map((s) => [s, sourceDigests[`${prefix}/${s}`]])),
      );
    }, 600_000);
  });

  it('a 500 on the k-th registry write, for every k, before or after the registry applied it: a re-run converges', async () => {
    const probe = `faults-${run}-count`;
    await seedSource(probe);
    const before = await registryWrites();
    expect((await promote(probe)).exitCode).toBe(0);
    const writes = (await registryWrites()) - before;
    expect(writes).toBeGreaterThanOrEqual(SERVICES.length * TARGETS.length);
    const outcomes: string[] = [];
    for (let k = 1; k <= writes; k++) {
      for (const afterForward of [false, true]) {
        const prefix = `faults-${run}-k${k}${afterForward ? 'a' : 'b'}`;
        await seedSource(prefix);
        const faulted = await withFaultRules(faults, [{ target: 'registry', failNthMutating: k, afterForward }], () =>
          promote(prefix),
        );
        expectOneClearOutcome(faulted);
        const rerun = await promote(prefix);
        const converged = JSON.stringify(await readTargets(prefix)) === JSON.stringify(expectedTargets(prefix));
        outcomes.push(
          `k=${k}${afterForward ? ' after' : ''}: first ${faulted.exitCode}, rerun ${rerun.exitCode}, converged ${converged}`,
        );
        expect({ k, afterForward, rerun: rerun.exitCode, converged }).toEqual({
          k,
          afterForward,
          rerun: 0,
          converged: true,
        });
      }
    }
    expect(outcomes).toHaveLength(writes * 2);
  }, 900_000);

  describe('with ECS redeploys (cluster + ecs-services)', () => {
    const ecsStorms: [string, FaultRuleSpec][] = [
      ['an ECS throttling storm (10 × ThrottlingException)', { target: 'aws', throttle: 10, retryAfterSeconds: 0.2 }],
      ['an ECS 5xx burst (6 × 503)', { target: 'aws', status5xx: { times: 6, code: 503 } }],
      ['ECS connection resets (4)', { target: 'aws', reset: 4 }],
      [
        'ECS UpdateService applied but its answer reset (1)',
        { target: 'aws', operation: 'ecs:UpdateService', reset: 1, afterForward: true },
      ],
    ];
    ecsStorms.forEach(([name, rule], i) => {
      it(`${name}: success or one clear error, a re-run deploys, and a foreign ECS service is untouched`, async () => {
        const prefix = `faults-${run}-ecs${i}`;
        await seedSource(prefix);
        // The task definitions name the sandbox's own registry host, which ECS (the sandbox's moto) resolves at each
        // deployment start; the action itself reaches the same registry through this suite's private fault proxy.
        const host = sandbox.registries.basic.host;
        const mine = SERVICES.map((s) => `${prefix.replace(/[^a-z0-9-]/g, '-')}-${s}`.slice(-60));
        const other = `${prefix}-foreign`.slice(-60);
        for (const [index, s] of SERVICES.entries())
          await createEcsService(mine[index]!, `${host}/${prefix}/${s}:prod`);
        await createEcsService(other, `${host}/${prefix}/api:prod`);
        const foreignBefore = await readEcsService(other);
        const ecs = {
          cluster: sandbox.seeded.clusters.production,
          'ecs-services': SERVICES.map((s, index) => `${s}=${mine[index]}`).join('\n'),
          'wait-timeout': '30',
        };
        const faulted = await withFaultRules(faults, [rule], () => promote(prefix, ecs));
        expectOneClearOutcome(faulted);
        const rerun = await promote(prefix, ecs);
        expect(rerun.annotations.filter((a) => a.level === 'error')).toEqual([]);
        expect({ exit: rerun.exitCode, deployed: rerun.outputs.deployed }).toEqual({ exit: 0, deployed: 'true' });
        expect(await readTargets(prefix)).toEqual(expectedTargets(prefix));
        expect(await readEcsService(other)).toEqual(foreignBefore);
      }, 600_000);
    });
  });

  describe('credentials expiring while the ECS wait is under way', () => {
    const OLD_KEY = 'AKIAEXPIRESMIDWAIT01';
    const NEW_KEY = 'AKIARENEWEDMIDWAIT01';

    /** What a credential helper keeps up to date: the shared credentials file the SDK's default chain reads. */
    function writeCredentials(file: string, accessKeyId: string): void {
      writeFileSync(file, `[default]\naws_access_key_id = ${accessKeyId}\naws_secret_access_key = sandbox-secret\n`);
    }

    it('the wait throws (ExpiredTokenException), the rollback takes a fresh client with the renewed credentials: the action fails clearly and the tags and ECS end on the previous version', async () => {
      const prefix = `faults-${run}-expire`;
      const repository = `${prefix}/api`;
      const registry = { client: direct, host: sandbox.registries.basic.host };
      const previous = await pushBehaviourImage(registry, repository, 'prod', 'healthy', { seed: `${run}-previous` });
      // Slow enough that the wait is still following the deployment when the credentials expire.
      const promoted = await pushBehaviourImage(registry, repository, 'v1.0.0-rc.1', 'slow=20', { seed: run });
      const ecsService = `${prefix}-api`.slice(-60);
      await createEcsService(ecsService, previous.reference);
      const cluster = sandbox.seeded.clusters.production;
      expect(await readRunningRevisionDigest(aws.ecs, cluster, ecsService)).toBe(previous.digest);

      const credentials = join(mkdtempSync(join(tmpdir(), 'expiring-credentials-')), 'credentials');
      writeCredentials(credentials, OLD_KEY);
      await faults.reset();
      const { username, password } = sandbox.registries.basic;
      const running = runActionBundle({
        action: 'retag-promote',
        inputs: {
          services: 'api',
          registry: `${new URL(proxy.urls.registry!).host}/${prefix}`,
          'registry-type': 'oci',
          'registry-username': username,
          'registry-password': password,
          'source-tag': 'v1.0.0-rc.1',
          'target-tags': 'v1.0.0\nprod',
          cluster,
          'ecs-services': `api=${ecsService}`,
          'wait-timeout': '120',
        },
        env: {
          GITHUB_API_URL: 'http://127.0.0.1:9',
          AWS_ENDPOINT_URL: proxy.urls.aws!,
          AWS_REGION: sandbox.aws.region,
          // no keys in the environment: the default chain reads the file, once per client
          AWS_SHARED_CREDENTIALS_FILE: credentials,
          AWS_CONFIG_FILE: join(credentials, '..', 'config'),
        },
        timeoutMs: 300_000,
      });

      // Once the redeploy is started and followed, the first session expires and the helper writes a new one.
      const seen = await waitForCalls(running, ['ecs:UpdateService', 'ecs:DescribeServiceDeployments']);
      expect(seen).toBe(true);
      writeCredentials(credentials, NEW_KEY);
      await faults.addRules({ target: 'aws', accessKeyId: OLD_KEY, expiredToken: true });
      const result = await running;

      expectOneClearOutcome(result);
      expect(result.exitCode).toBe(1);
      const [error] = result.annotations.filter((a) => a.level === 'error').map((a) => a.message);
      expect(error).toContain('following the deployment failed');
      expect(error).toContain('The security token included in the request is expired');
      expect(error).toContain(
        `rolled back (api:prod → ${previous.digest}; ECS: ${ecsService} redeployed), stable again`,
      );
      expect(result.outputs['rolled-back']).toBe('true');
      expect((await faults.rules())[0]!.matched).toBeGreaterThan(0);
      // The version tag stays (version tags never move); prod and ECS are back on the previous version.
      expect((await direct.headManifest(repository, 'prod'))?.digest).toBe(previous.digest);
      expect((await direct.headManifest(repository, 'v1.0.0'))?.digest).toBe(promoted.digest);
      expect(await readRunningRevisionDigest(aws.ecs, cluster, ecsService)).toBe(previous.digest);
    }, 400_000);
  });

  it('tags we do not own are unchanged after every fault above', async () => {
    for (const tag of foreign) {
      expect((await direct.headManifest(tag.repository, tag.tag))?.digest).toBe(tag.digest);
    }
  }, 60_000);
});
