import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createManifestStore, type ManifestStore } from '@preview-actions/core/registry';
import { runActionBundle, type ActionRun } from '../harness/index.js';
import { createSandboxAwsClients, destroySandboxAwsClients, type SandboxAwsClients } from '../sandbox/aws-clients.js';
import { createSandboxActionEnv } from '../sandbox/action-env.js';
import { behaviourLabel } from '../sandbox/behaviour-image.js';
import { createBreakerService } from '../sandbox/ecs-service.js';
import { ensureSandbox } from '../sandbox/ensure.js';
import type { SandboxEndpoints } from '../sandbox/endpoints.js';

// Promotion then ECS, on the sandbox's ECS deployment life cycle. Each RC is built with a Dockerfile whose
// `sandbox.ecs.behaviour` label says what its tasks do (test/sandbox/behaviour-image.ts): v2.0.0-rc.1 is healthy,
// v2.0.1-rc.1 crashes, so promoting it trips the services' circuit breaker and drives the rollback honestly.
let sandbox: SandboxEndpoints;
let aws: SandboxAwsClients;
let store: ManifestStore;
const namespace = `ecs-${Date.now().toString(36)}`;
let registry = '';
let actionEnv: Record<string, string> = {};

function registryInputs() {
  return {
    registry,
    'registry-username': sandbox.registries.basic.username,
    'registry-password': sandbox.registries.basic.password,
  };
}

async function createEcsService(name: string): Promise<void> {
  await createBreakerService(aws, sandbox.seeded.clusters.production, name, `${registry}/api:prod`);
}

async function deploymentsOf(name: string) {
  const { services } = await aws.ecs.send(
    new DescribeServicesCommand({ cluster: sandbox.seeded.clusters.production, services: [name] }),
  );
  return services?.[0]?.deployments ?? [];
}

async function build(versionTag: string, commit: string, behaviour: 'healthy' | 'crash'): Promise<ActionRun> {
  const workspace = mkdtempSync(join(tmpdir(), 'release-ecs-'));
  mkdirSync(join(workspace, 'services', 'api'), { recursive: true });
  writeFileSync(
    join(workspace, 'services', 'api', 'Dockerfile'),
    `FROM scratch\nLABEL build=${versionTag} ${behaviourLabel}=${behaviour}\n`,
  );
  return runActionBundle({
    action: 'build-double-tag',
    sha: commit,
    workspace,
    inputs: { services: 'api', 'version-tag': versionTag, 'env-tag': 'test', builder: 'buildah', ...registryInputs() },
    env: { STORAGE_DRIVER: 'vfs', BUILDAH_ISOLATION: 'chroot' },
    timeoutMs: 300_000,
  });
}

function promote(sourceTag: string, targetTags: string, ecsService: string): Promise<ActionRun> {
  return runActionBundle({
    action: 'retag-promote',
    inputs: {
      services: 'api',
      'source-tag': sourceTag,
      'target-tags': targetTags,
      cluster: sandbox.seeded.clusters.production,
      'ecs-services': `api=${ecsService}`,
      'wait-timeout': '30',
      ...registryInputs(),
    },
    env: actionEnv,
    token: sandbox.github.token,
    timeoutMs: 300_000,
  });
}

beforeAll(async () => {
  sandbox = await ensureSandbox();
  aws = createSandboxAwsClients(sandbox.aws.directUrl);
  registry = `${sandbox.registries.basic.host}/${namespace}`;
  actionEnv = createSandboxActionEnv(sandbox);
  store = await createManifestStore({
    host: sandbox.registries.basic.directHost,
    username: sandbox.registries.basic.username,
    password: sandbox.registries.basic.password,
    maskSecret: () => undefined,
  });
  expect((await build('v2.0.0-rc.1', 'a'.repeat(40), 'healthy')).exitCode).toBe(0);
  expect((await build('v2.0.1-rc.1', 'b'.repeat(40), 'crash')).exitCode).toBe(0);
}, 900_000);

afterAll(() => destroySandboxAwsClients(aws));

describe('retag-promote with ECS on the sandbox', () => {
  it('promotes, forces a new deployment and waits until ECS runs it', async () => {
    await createEcsService(`${namespace}-ok`);
    const before = await deploymentsOf(`${namespace}-ok`);
    const run = await promote('v2.0.0-rc.1', 'v2.0.0\nprod', `${namespace}-ok`);
    expect(run.exitCode).toBe(0);
    expect(run.outputs.deployed).toBe('true');
    const after = await deploymentsOf(`${namespace}-ok`);
    expect(after.map((d) => d.id)).not.toEqual(before.map((d) => d.id));
    expect(run.summary).toMatch(/\| `[^`]*-ok` \| ✅ stable \|/);
    // Settled: nothing is left for the post step.
    expect(run.state['rollback-plan']).toBe('');
    expect(JSON.parse(run.outputs['ecs-outcomes']!)).toMatchObject([
      { state: 'stable', judgedBy: 'service-deployment' },
    ]);
  }, 300_000);

  it('rolls prod back to its previous digest when its tasks crash and the circuit breaker trips, and fails', async () => {
    const previous = (await store.headManifest(`${namespace}/api`, 'prod'))!.digest;
    const promoted = (await store.headManifest(`${namespace}/api`, 'v2.0.1-rc.1'))!.digest;
    expect(promoted).not.toBe(previous);
    await createEcsService(`${namespace}-crash`);
    const run = await promote('v2.0.1-rc.1', 'v2.0.1\nprod', `${namespace}-crash`);
    expect(run.exitCode).toBe(1);
    expect(run.outputs['rolled-back']).toBe('true');
    expect(JSON.parse(run.outputs['previous-digests']!)).toEqual({ api: { prod: previous } });
    const [error] = run.annotations.filter((a) => a.level === 'error' && a.message.startsWith('retag-promote failed'));
    expect(error!.message).toContain('service deployment ROLLBACK_SUCCESSFUL (ECS deployment circuit breaker');
    // ECS's circuit breaker already rolled the service back, so the action only moved the tag back and checked.
    expect(error!.message).toContain(
      `rolled back (api:prod → ${previous}; ECS: ${namespace}-crash ecs-rolled-back), stable again`,
    );
    expect((await store.headManifest(`${namespace}/api`, 'prod'))!.digest).toBe(previous);
    expect((await store.headManifest(`${namespace}/api`, 'v2.0.1'))!.digest).toBe(promoted);
  }, 300_000);

  it('the post step finishes the rollback a cancelled main step left in its state, and does nothing without one', async () => {
    const name = `${namespace}-post`;
    await createEcsService(name);
    const previous = (await store.headManifest(`${namespace}/api`, 'prod'))!.digest;
    const promoted = (await store.getManifest(`${namespace}/api`, 'v2.0.1-rc.1'))!;
    expect(promoted.digest).not.toBe(previous);
    // What a main step cancelled mid-wait leaves behind: prod moved to ours, the plan saved.
    await store.putManifest(`${namespace}/api`, 'prod', promoted);
    const plan = {
      tags: [
        {
          service: 'api',
          host: sandbox.registries.basic.host,
          repository: `${namespace}/api`,
          tag: 'prod',
          ours: promoted.digest,
          previous,
        },
      ],
      cluster: sandbox.seeded.clusters.production,
      ecsServices: [['api', name]],
    };
    const post = (state: string) =>
      runActionBundle({
        action: 'retag-promote',
        entry: 'dist/post/index.js',
        inputs: {
          services: 'api',
          'source-tag': 'v2.0.1-rc.1',
          'target-tags': 'v2.0.1\nprod',
          cluster: sandbox.seeded.clusters.production,
          'ecs-services': `api=${name}`,
          'wait-timeout': '30',
          ...registryInputs(),
        },
        env: { ...actionEnv, 'STATE_rollback-plan': state },
        token: sandbox.github.token,
        timeoutMs: 300_000,
      });

    const idle = await post('');
    expect(idle.exitCode).toBe(0);
    expect((await store.headManifest(`${namespace}/api`, 'prod'))!.digest).toBe(promoted.digest);
    const before = await deploymentsOf(name);

    const run = await post(JSON.stringify(plan));
    expect(run.exitCode).toBe(0);
    expect((await store.headManifest(`${namespace}/api`, 'prod'))!.digest).toBe(previous);
    expect((await deploymentsOf(name)).map((d) => d.id)).not.toEqual(before.map((d) => d.id));
    expect(run.state['rollback-plan']).toBe('');
    expect(run.annotations).toContainEqual(
      expect.objectContaining({
        level: 'warning',
        message: 'The promotion did not finish (cancelled or interrupted): rolling back',
      }),
    );
  }, 300_000);
});
