import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import type { OciClient } from '@preview-actions/core/registry';
import { runActionBundle, type ActionRun } from '../harness/index.js';
import { createSandboxActionEnv } from '../sandbox/action-env.js';
import { createSandboxAwsClients, destroySandboxAwsClients, type SandboxAwsClients } from '../sandbox/aws-clients.js';
import { pushBehaviourImage, type SandboxEcsBehaviour } from '../sandbox/behaviour-image.js';
import type { SandboxEndpoints } from '../sandbox/endpoints.js';
import { createBreakerService } from '../sandbox/ecs-service.js';
import { connectBasicRegistry } from '../sandbox/basic-registry.js';
import { ensureSandbox } from '../sandbox/ensure.js';
import { readRunningRevisionDigest } from '../sandbox/running-revision-digest.js';
import { createThrowawayCluster, deleteClusterWithInstance } from '../sandbox/seed-aws.js';

// Promotions through retag-promote's bundle on the sandbox's ECS deployment life cycle: each RC is an image whose
// behaviour label says what its tasks do, so success, the circuit breaker's rollback and a slow start are ECS's
// own verdicts, and every claim is checked against the registry and ECS's service revision afterwards.
let sandbox: SandboxEndpoints;
let aws: SandboxAwsClients;
let registry: { client: OciClient; host: string };
let cluster: { name: string; arn: string; containerInstanceArn: string };
let actionEnv: Record<string, string>;
const run = `${process.pid}-${Date.now().toString(36)}`;
const namespace = `release-deployments-${run}`;
const repository = `${namespace}/api`;

beforeAll(async () => {
  sandbox = await ensureSandbox();
  aws = createSandboxAwsClients(sandbox.aws.directUrl);
  registry = connectBasicRegistry(sandbox);
  actionEnv = createSandboxActionEnv(sandbox);
  cluster = await createThrowawayCluster(aws, sandbox.seeded, `release-deployments-${run}`);
}, 900_000);

afterAll(async () => {
  if (cluster) await deleteClusterWithInstance(aws, cluster);
  destroySandboxAwsClients(aws);
});

/** Pushes the RC `tag` of `repository` doing `behaviour`; a distinct seed per tag gives each RC its own digest. */
async function pushRc(repo: string, tag: string, behaviour: SandboxEcsBehaviour): Promise<string> {
  return (await pushBehaviourImage(registry, repo, tag, behaviour, { seed: `${repo}:${tag}:${behaviour}` })).digest;
}

async function tagDigest(repo: string, tag: string): Promise<string | undefined> {
  const found = await registry.client.headManifest(repo, tag);
  return found?.digest;
}

/** A service on the throwaway cluster running `repo:tag`, with the circuit breaker and rollback on. */
function createService(name: string, repo: string, tag: string): Promise<void> {
  return createBreakerService(aws, cluster.name, name, `${registry.host}/${repo}:${tag}`);
}

/** The image digest of the revision the service runs now (see {@link readRunningRevisionDigest}). */
function runningRevisionDigest(service: string): Promise<string | undefined> {
  return readRunningRevisionDigest(aws.ecs, cluster.name, service);
}

function promote(
  repo: string,
  sourceTag: string,
  targetTags: string,
  service: string,
  extra: Record<string, string> = {},
): Promise<ActionRun> {
  return runActionBundle({
    action: 'retag-promote',
    inputs: {
      registry: `${registry.host}/${repo.slice(0, repo.lastIndexOf('/'))}`,
      services: repo.slice(repo.lastIndexOf('/') + 1),
      'source-tag': sourceTag,
      'target-tags': targetTags,
      cluster: cluster.name,
      'ecs-services': `${repo.slice(repo.lastIndexOf('/') + 1)}=${service}`,
      'wait-timeout': '30',
      'registry-username': sandbox.registries.basic.username,
      'registry-password': sandbox.registries.basic.password,
      ...extra,
    },
    env: actionEnv,
    token: sandbox.github.token,
    timeoutMs: 300_000,
  });
}

function errorsOf(run: ActionRun): string[] {
  return run.annotations.filter((a) => a.level === 'error').map((a) => a.message);
}

describe('retag-promote on the sandbox ECS deployment life cycle (bundled)', () => {
  const service = `${namespace}-api`.slice(-60);
  let good = '';

  it('promotes a healthy RC: success, and ECS recorded the promoted digest in the service revision', async () => {
    good = await pushRc(repository, 'v1.0.0-rc.1', 'healthy');
    await pushBehaviourImage(registry, repository, 'prod', 'healthy', { seed: 'before the first release' });
    await createService(service, repository, 'prod');
    const promoted = await promote(repository, 'v1.0.0-rc.1', 'v1.0.0\nprod', service);
    expect({ exit: promoted.exitCode, errors: errorsOf(promoted) }).toEqual({ exit: 0, errors: [] });
    expect(JSON.parse(promoted.outputs['ecs-outcomes']!)).toMatchObject([
      { state: 'stable', judgedBy: 'service-deployment' },
    ]);
    expect(await tagDigest(repository, 'prod')).toBe(good);
    expect(await runningRevisionDigest(service)).toBe(good);
  }, 300_000);

  it('a crashing release: the circuit breaker rolls back, the action fails naming why, prod and ECS are on the previous digest, and a re-run converges', async () => {
    const bad = await pushRc(repository, 'v1.1.0-rc.1', 'crash');
    const failed = await promote(repository, 'v1.1.0-rc.1', 'v1.1.0\nprod', service);
    expect(failed.exitCode).toBe(1);
    expect(failed.outputs['rolled-back']).toBe('true');
    const [error] = errorsOf(failed).filter((m) => m.startsWith('retag-promote failed'));
    expect(error).toContain('ECS deployment circuit breaker');
    expect(failed.stdout + failed.summary).toContain('Essential container in task exited');
    expect(await tagDigest(repository, 'prod')).toBe(good);
    expect(await tagDigest(repository, 'v1.1.0')).toBe(bad);
    expect(await runningRevisionDigest(service)).toBe(good);

    // Re-running the same promotion fails the same way and leaves the same state.
    const again = await promote(repository, 'v1.1.0-rc.1', 'v1.1.0\nprod', service);
    expect(again.exitCode).toBe(1);
    expect(await tagDigest(repository, 'prod')).toBe(good);
    expect(await runningRevisionDigest(service)).toBe(good);
    const { services } = await aws.ecs.send(
      new DescribeServicesCommand({ cluster: cluster.name, services: [service] }),
    );
    expect(services?.[0]?.runningCount).toBe(1);
  }, 300_000);

  it('an RC through the release path (source → test): moves :test, redeploys and verifies the test service; a crashing RC rolls :test back', async () => {
    const testRepo = `${namespace}/web`;
    const testService = `${namespace}-web-test`.slice(-60);
    const first = await pushRc(testRepo, 'v2.0.0-rc.1', 'healthy');
    await pushBehaviourImage(registry, testRepo, 'test', 'healthy', { seed: 'test before any RC' });
    await createService(testService, testRepo, 'test');
    const moved = await promote(testRepo, 'v2.0.0-rc.1', 'test', testService);
    expect({ exit: moved.exitCode, errors: errorsOf(moved) }).toEqual({ exit: 0, errors: [] });
    expect(await tagDigest(testRepo, 'test')).toBe(first);
    expect(await runningRevisionDigest(testService)).toBe(first);

    await pushRc(testRepo, 'v2.0.0-rc.2', 'crash');
    const crashed = await promote(testRepo, 'v2.0.0-rc.2', 'test', testService);
    expect(crashed.exitCode).toBe(1);
    expect(crashed.outputs['rolled-back']).toBe('true');
    expect(await tagDigest(testRepo, 'test')).toBe(first);
    expect(await runningRevisionDigest(testService)).toBe(first);
  }, 300_000);

  it('the switch verify-running-digest: a service whose task definition names another tag fails the check by default (its revision records another digest) and passes with false', async () => {
    const pinnedRepo = `${namespace}/pinned`;
    const pinnedService = `${namespace}-pinned`.slice(-60);
    const held = await pushRc(pinnedRepo, 'elsewhere', 'healthy');
    const previous = await pushRc(pinnedRepo, 'prod', 'healthy');
    // The service runs :elsewhere, so moving :prod never reaches what it runs.
    await createService(pinnedService, pinnedRepo, 'elsewhere');
    const promoted = await pushRc(pinnedRepo, 'v4.0.0-rc.1', 'healthy');

    const checked = await promote(pinnedRepo, 'v4.0.0-rc.1', 'prod', pinnedService);
    expect({ exit: checked.exitCode, rolledBack: checked.outputs['rolled-back'] }).toEqual({
      exit: 1,
      rolledBack: 'true',
    });
    expect(errorsOf(checked).join('\n')).toContain(`the service revision records ${held}, not ${promoted}`);
    expect(await tagDigest(pinnedRepo, 'prod')).toBe(previous);

    const unchecked = await promote(pinnedRepo, 'v4.0.0-rc.1', 'prod', pinnedService, {
      'verify-running-digest': 'false',
    });
    expect({ exit: unchecked.exitCode, errors: errorsOf(unchecked), deployed: unchecked.outputs.deployed }).toEqual({
      exit: 0,
      errors: [],
      deployed: 'true',
    });
    expect(await tagDigest(pinnedRepo, 'prod')).toBe(promoted);
    // Deployed and stable, yet not running the promoted digest: exactly what the check exists to catch.
    expect(await runningRevisionDigest(pinnedService)).toBe(held);
  }, 300_000);

  it('a slow RC: stable within wait-timeout; beyond it, a timeout that rolls back', async () => {
    const slowRepo = `${namespace}/slow`;
    const slowService = `${namespace}-slow`.slice(-60);
    const base = await pushRc(slowRepo, 'v3.0.0-rc.1', 'healthy');
    await pushBehaviourImage(registry, slowRepo, 'prod', 'healthy', { seed: 'slow before' });
    await createService(slowService, slowRepo, 'prod');
    expect((await promote(slowRepo, 'v3.0.0-rc.1', 'prod', slowService)).exitCode).toBe(0);
    expect(await tagDigest(slowRepo, 'prod')).toBe(base);

    // 2 s late is well within the 30 s wait.
    const within = await pushRc(slowRepo, 'v3.1.0-rc.1', 'slow=2');
    const ok = await promote(slowRepo, 'v3.1.0-rc.1', 'prod', slowService);
    expect({ exit: ok.exitCode, errors: errorsOf(ok) }).toEqual({ exit: 0, errors: [] });
    expect(await runningRevisionDigest(slowService)).toBe(within);

    // A minute late is beyond the shortest wait (30 s): the action gives up, stops ECS's deployment with rollback,
    // and moves prod back.
    await pushRc(slowRepo, 'v3.2.0-rc.1', 'slow=60');
    const late = await promote(slowRepo, 'v3.2.0-rc.1', 'prod', slowService);
    expect({ exit: late.exitCode, outputs: late.outputs, errors: errorsOf(late) }).toMatchObject({
      exit: 1,
      outputs: { 'rolled-back': 'true' },
    });
    expect(errorsOf(late).join('\n')).toContain('not stable after 30 s');
    expect(await tagDigest(slowRepo, 'prod')).toBe(within);
    expect(await runningRevisionDigest(slowService)).toBe(within);
  }, 300_000);
});
