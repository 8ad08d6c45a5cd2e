import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import type { OciClient } from '@preview-actions/core/registry';
import { runActionBundle, type ActionRun } from '../harness/index.js';
import { createSandboxActionEnv } from '../sandbox/action-env.js';
import { createSandboxAwsClients, destroySandboxAwsClients, type SandboxAwsClients } from '../sandbox/aws-clients.js';
import { connectBasicRegistry } from '../sandbox/basic-registry.js';
import { pushBehaviourImage, type SandboxEcsBehaviour } from '../sandbox/behaviour-image.js';
import type { SandboxEndpoints } from '../sandbox/endpoints.js';
import { createBreakerService } from '../sandbox/ecs-service.js';
import { ensureSandbox } from '../sandbox/ensure.js';
import { readRunningRevisionDigest } from '../sandbox/running-revision-digest.js';
import { createThrowawayCluster, deleteClusterWithInstance } from '../sandbox/seed-aws.js';

// Seed 000's monolith: one repository, one Dockerfile, one image `web` that runs as the api, the admin and the
// celery workers, each its own ECS service with its own command. A release promotes that one image and must
// redeploy, wait for, verify and (on failure) roll back every ECS service that runs it, through retag-promote's
// bundle on the sandbox's ECS deployment life cycle (the image's behaviour label says what its tasks do).
let sandbox: SandboxEndpoints;
let aws: SandboxAwsClients;
let registry: { client: OciClient; host: string };
let cluster: { name: string; arn: string; containerInstanceArn: string };
let actionEnv: Record<string, string>;
const run = `${process.pid}-${Date.now().toString(36)}`;
const namespace = `monolith-${run}`;
const repository = `${namespace}/web`;
const ecsServices = ['api', 'admin', 'celery-default'].map((role) => `${namespace}-${role}`.slice(-60));
const ecsServicesInput = ecsServices.map((name) => `web=${name}`).join('\n');

beforeAll(async () => {
  sandbox = await ensureSandbox();
  aws = createSandboxAwsClients(sandbox.aws.directUrl);
  registry = connectBasicRegistry(sandbox);
  actionEnv = createSandboxActionEnv(sandbox);
  cluster = await createThrowawayCluster(aws, sandbox.seeded, `monolith-${run}`);
  await pushBehaviourImage(registry, repository, 'prod', 'healthy', { seed: 'before the first release' });
  // The same image, three commands: what makes them three services is the task definition, not the image.
  for (const [index, name] of ecsServices.entries()) {
    await createBreakerService(aws, cluster.name, name, `${registry.host}/${repository}:prod`, {
      command: [['./run_api.sh'], ['./run_admin.sh'], ['./run_celery.sh', 'default']][index]!,
    });
  }
}, 900_000);

afterAll(async () => {
  if (cluster) await deleteClusterWithInstance(aws, cluster);
  destroySandboxAwsClients(aws);
});

async function pushRc(tag: string, behaviour: SandboxEcsBehaviour): Promise<string> {
  return (await pushBehaviourImage(registry, repository, tag, behaviour, { seed: `${tag}:${behaviour}` })).digest;
}

async function tagDigest(tag: string): Promise<string | undefined> {
  return (await registry.client.headManifest(repository, tag))?.digest;
}

async function deploymentIds(): Promise<string[][]> {
  const { services } = await aws.ecs.send(
    new DescribeServicesCommand({ cluster: cluster.name, services: ecsServices }),
  );
  return ecsServices.map((name) => services!.find((s) => s.serviceName === name)?.deployments?.map((d) => d.id!) ?? []);
}

function promote(
  sourceTag: string,
  targetTags: string,
  mapping = ecsServicesInput,
  services = 'web',
): Promise<ActionRun> {
  return runActionBundle({
    action: 'retag-promote',
    inputs: {
      registry: `${registry.host}/${namespace}`,
      services,
      'source-tag': sourceTag,
      'target-tags': targetTags,
      cluster: cluster.name,
      'ecs-services': mapping,
      'wait-timeout': '30',
      'registry-username': sandbox.registries.basic.username,
      'registry-password': sandbox.registries.basic.password,
    },
    env: actionEnv,
    token: sandbox.github.token,
    timeoutMs: 300_000,
  });
}

function errorsOf(result: ActionRun): string[] {
  return result.annotations.filter((a) => a.level === 'error').map((a) => a.message);
}

type Outcome = { service: string; state: string; rollback?: boolean };

describe('retag-promote: one image, three ECS services (a monolith, bundled)', () => {
  let good = '';

  it('promotes the image once and redeploys, waits for and verifies every ECS service that runs it', async () => {
    good = await pushRc('v1.0.0-rc.1', 'healthy');
    const before = await deploymentIds();

    const result = await promote('v1.0.0-rc.1', 'v1.0.0\nprod');

    expect(errorsOf(result)).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.outputs.deployed).toBe('true');
    expect(JSON.parse(result.outputs.digests!)).toEqual({ web: good });
    expect(await tagDigest('prod')).toBe(good);
    const outcomes = JSON.parse(result.outputs['ecs-outcomes']!) as Outcome[];
    expect(outcomes.map((o) => [o.service, o.state])).toEqual(ecsServices.map((name) => [name, 'stable']));
    // Each service got its own new deployment, and ECS recorded the promoted digest in each revision.
    const after = await deploymentIds();
    ecsServices.forEach((_, i) => expect(after[i]).not.toEqual(before[i]));
    for (const name of ecsServices) expect(await readRunningRevisionDigest(aws.ecs, cluster.name, name)).toBe(good);
    for (const name of ecsServices) expect(result.summary).toContain(`\`${name}\` | ✅ stable`);
  }, 300_000);

  it('a crashing RC: all three services fail, and the tag and all three services go back together', async () => {
    expect(good).not.toBe('');
    const bad = await pushRc('v1.0.1-rc.1', 'crash');

    const result = await promote('v1.0.1-rc.1', 'v1.0.1\nprod');

    expect(result.exitCode).toBe(1);
    expect(result.outputs['rolled-back']).toBe('true');
    expect(result.outputs.deployed).toBe('false');
    expect(JSON.parse(result.outputs['previous-digests']!)).toEqual({ web: { prod: good } });
    expect(await tagDigest('prod')).toBe(good);
    expect(await tagDigest('v1.0.1')).toBe(bad);
    const outcomes = JSON.parse(result.outputs['ecs-outcomes']!) as Outcome[];
    const deployed = outcomes.filter((o) => !o.rollback);
    const rolledBack = outcomes.filter((o) => o.rollback);
    expect(deployed.map((o) => o.service).sort()).toEqual([...ecsServices].sort());
    expect(deployed.every((o) => o.state !== 'stable')).toBe(true);
    expect(rolledBack.map((o) => [o.service, o.state]).sort()).toEqual(
      [...ecsServices].sort().map((name) => [name, 'stable']),
    );
    for (const name of ecsServices) expect(await readRunningRevisionDigest(aws.ecs, cluster.name, name)).toBe(good);
    const [failure] = errorsOf(result).filter((m) => m.startsWith('retag-promote failed'));
    // The failure names every ECS service, in what ECS did and in what the rollback did.
    for (const name of ecsServices) {
      expect(failure).toContain(`${name} failed`);
      expect(failure).toMatch(new RegExp(`${name} (ecs-rolled-back|redeployed|stopped-with-rollback)`));
    }
    expect(failure).toContain('stable again');
  }, 300_000);

  it('refuses an ECS service listed under two images before anything is written, in one line', async () => {
    const rc = await pushRc('v1.0.2-rc.1', 'healthy');
    const before = await deploymentIds();

    const result = await promote(
      'v1.0.2-rc.1',
      'v1.0.2\nprod',
      `${ecsServicesInput}\nworker=${ecsServices[0]}`,
      'web\nworker',
    );

    expect(result.exitCode).toBe(1);
    expect(errorsOf(result)).toEqual([
      `retag-promote failed: Input 'ecs-services' lists ECS service '${ecsServices[0]}' under both 'web' and 'worker': an ECS service runs one image, keep one`,
    ]);
    expect(await tagDigest('prod')).toBe(good);
    expect(await tagDigest('v1.0.2')).toBeUndefined();
    expect(rc).not.toBe(good);
    expect(await deploymentIds()).toEqual(before);
  }, 300_000);
});
