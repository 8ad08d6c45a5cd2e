/**
 * release.yml and the release composite run end to end by the workflow runner (test/runner) on the sandbox: an RC
 * tag builds both services once (buildah, as a runner without Docker would through RELEASE_BUILDER), tags version,
 * sha and :test with one digest and redeploys the test services; the final tag's plan names the RC, its commit and
 * digests; a rejected production approval moves nothing; an approved one promotes those digests and redeploys
 * production. GHCR is the sandbox's basic registry through the RELEASE_REGISTRY* variables; the clusters are
 * throwaway ones named through TEST_CLUSTER / PRODUCTION_CLUSTER, and the roles' policies name them.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import {
  CreateServiceCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  ListServiceDeploymentsCommand,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import { OciClient } from '@preview-actions/core/registry';
import { createGitHubAdminClient } from '../standins/github/admin-client.js';
import { createSandboxAwsClients, destroySandboxAwsClients, type SandboxAwsClients } from '../sandbox/aws-clients.js';
import { pushBehaviourImage } from '../sandbox/behaviour-image.js';
import { ensureSandbox } from '../sandbox/ensure.js';
import type { SandboxEndpoints } from '../sandbox/endpoints.js';
import { createThrowawayCluster, deleteClusterWithInstance } from '../sandbox/seed-aws.js';
import { clearIamDecisions, closeIamProxies, listIamDecisions } from '../runner/iam/iam-proxy.js';
import { listRoleAssumptions } from '../runner/standins/aws-actions-configure-aws-credentials.js';
import { registerDocumentedRoles, resetRoleBindings, sandboxRoleArn } from '../runner/iam/sandbox-roles.js';
import { createConsumerRepo, type ConsumerRepo } from '../runner/standins/consumer-repo.js';
import { useConsumerRepo } from '../runner/standins/actions-checkout.js';
import { createSandboxWorld } from '../runner/sandbox-world.js';
import type { JobRecord, RunRecord } from '../runner/run-result.js';
import type { EnvironmentDecisions } from '../runner/run-state.js';

jest.setTimeout(600_000);

const RELEASE = '.github/workflow-templates/release.yml';
const id = `${process.pid.toString(36)}${Date.now().toString(36).slice(-5)}`;
const owner = 'release-org';
const name = `release-${id}`;
const namespace = `rel-${id}`;

let sandbox: SandboxEndpoints;
let aws: SandboxAwsClients;
let oci: OciClient;
let repo: ConsumerRepo;
const clusters: { test?: Awaited<ReturnType<typeof createThrowawayCluster>>; prod?: typeof clusters.test } = {};
/** Digests the services ran before any release: what a rejected approval must leave in place. */
const initial: Record<string, string> = {};

/** A run that did not succeed, as one line: the refusal or each failed job's and step's error. */
function describeFailure(run: RunRecord): string {
  const jobs = run.jobs
    .filter((job) => job.result !== 'success' && job.result !== 'skipped')
    .map((job) => `${job.id}: ${job.error ?? job.steps.find((s) => s.error)?.error ?? job.result}`);
  return [run.error, ...jobs].filter(Boolean).join('; ');
}

const jobOf = (run: RunRecord, jobId: string): JobRecord => run.jobs.find((j) => j.id === jobId)!;

async function digestOf(service: string, tag: string): Promise<string | undefined> {
  return (await oci.headManifest(`${namespace}/${service}`, tag))?.digest;
}

/** The image digest the service's newest deployment's revision runs (what ECS resolved at deploy time). */
async function runningDigest(cluster: string, service: string): Promise<string | undefined> {
  const { serviceDeployments } = await aws.ecs.send(new ListServiceDeploymentsCommand({ cluster, service }));
  const newest = serviceDeployments?.[0]?.serviceDeploymentArn;
  if (!newest) return undefined;
  const described = await aws.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [newest] }));
  const revision = described.serviceDeployments?.[0]?.targetServiceRevision?.arn;
  const revisions = await aws.ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: [revision!] }));
  return revisions.serviceRevisions?.[0]?.containerImages?.[0]?.imageDigest;
}

async function createService(cluster: string, service: string, envTag: string, ecsName: string): Promise<void> {
  const image = `${sandbox.registries.basic.host}/${namespace}/${service}:${envTag}`;
  const { taskDefinition } = await aws.ecs.send(
    new RegisterTaskDefinitionCommand({
      family: `${namespace}-${ecsName}`,
      requiresCompatibilities: ['EC2'],
      containerDefinitions: [{ name: 'app', image, memory: 128, essential: true }],
    }),
  );
  await aws.ecs.send(
    new CreateServiceCommand({
      cluster,
      serviceName: ecsName,
      taskDefinition: taskDefinition!.taskDefinitionArn,
      desiredCount: 1,
      launchType: 'EC2',
    }),
  );
}

async function pushRelease(tag: string, environments: EnvironmentDecisions, oidcSubjectForm?: 'immutable') {
  const { basic } = sandbox.registries;
  const world = await createSandboxWorld(sandbox, {
    repository: { owner, name },
    environments,
    ...(oidcSubjectForm ? { oidcSubjectForm } : {}),
    vars: {
      RELEASE_REGISTRY: `${basic.host}/${namespace}`,
      RELEASE_REGISTRY_HOST: basic.host,
      RELEASE_REGISTRY_USERNAME: basic.username,
      RELEASE_BUILDER: 'buildah',
      TEST_CLUSTER: clusters.test!.name,
      PRODUCTION_CLUSTER: clusters.prod!.name,
    },
    secrets: { RELEASE_REGISTRY_PASSWORD: basic.password },
    // the runner machine's buildah set-up (a self-hosted runner without Docker)
    runnerEnv: { STORAGE_DRIVER: 'vfs', BUILDAH_ISOLATION: 'chroot' },
  });
  const handle = world.queue(RELEASE, { name: 'push', payload: { ref: `refs/tags/${tag}`, after: repo.tags[tag] } });
  await world.settle();
  return handle.result;
}

beforeAll(async () => {
  sandbox = await ensureSandbox();
  aws = createSandboxAwsClients(sandbox.aws.directUrl);
  const { basic } = sandbox.registries;
  oci = new OciClient({
    host: basic.directHost,
    credentials: { username: basic.username, password: basic.password },
    maskSecret: () => undefined,
  });
  repo = createConsumerRepo({
    commits: [{ message: 'feature for 1.0' }],
    tags: { 'v1.0.0-rc.1': 1, 'v1.0.0': 1 },
  });
  useConsumerRepo(repo);
  clusters.test = await createThrowawayCluster(aws, sandbox.seeded, `${namespace}-test`);
  clusters.prod = await createThrowawayCluster(aws, sandbox.seeded, `${namespace}-prod`);
  // the roles as docs/iam/roles.json attaches them, with the policies naming this scenario's clusters
  registerDocumentedRoles({ TEST_CLUSTER: clusters.test.name, PRODUCTION_CLUSTER: clusters.prod.name });
  // what the environments ran before: images that exist, so the services are stable before the release
  for (const service of ['api', 'worker']) {
    for (const [envTag, cluster, suffix] of [
      ['test', clusters.test, 'test'],
      ['prod', clusters.prod, 'prod'],
    ] as const) {
      const image = await pushBehaviourImage(
        { client: oci, host: basic.host },
        `${namespace}/${service}`,
        envTag,
        'healthy',
      );
      initial[`${service}:${envTag}`] = image.digest;
      await createService(cluster.name, service, envTag, `${service}-${suffix}`);
    }
  }
  const admin = createGitHubAdminClient(sandbox.github.adminUrl);
  await admin.call('createRepository', { owner, name });
  for (const [tag, sha] of Object.entries(repo.tags))
    await admin.call('createTag', { repo: `${owner}/${name}`, tag, sha });
}, 900_000);

afterAll(async () => {
  resetRoleBindings();
  await closeIamProxies();
  for (const cluster of [clusters.test, clusters.prod]) if (cluster) await deleteClusterWithInstance(aws, cluster);
  destroySandboxAwsClients(aws);
});

describe('release.yml through the workflow runner', () => {
  it('an RC tag (immutable OIDC subject) builds once, tags version, sha and :test alike, and redeploys test', async () => {
    clearIamDecisions();
    const run = await pushRelease('v1.0.0-rc.1', {}, 'immutable');
    if (run.conclusion !== 'success') throw new Error(`RC release did not succeed: ${describeFailure(run)}`);
    expect(run.jobs.map((j) => [j.id, j.result])).toEqual([
      ['candidate', 'success'],
      ['plan', 'skipped'],
      ['release', 'skipped'],
    ]);
    const candidate = jobOf(run, 'candidate');
    expect(candidate.environment).toBeUndefined();
    const sha7 = repo.tags['v1.0.0-rc.1']!.slice(0, 7);
    for (const service of ['api', 'worker']) {
      const version = await digestOf(service, 'v1.0.0-rc.1');
      expect(version).toMatch(/^sha256:/);
      expect(await digestOf(service, 'test')).toBe(version);
      expect(await digestOf(service, `sha-${sha7}`)).toBe(version);
      expect(version).not.toBe(initial[`${service}:test`]);
      expect(await runningDigest(clusters.test!.name, `${service}-test`)).toBe(version);
      // production untouched
      expect(await digestOf(service, 'prod')).toBe(initial[`${service}:prod`]);
      expect(await runningDigest(clusters.prod!.name, `${service}-prod`)).toBe(initial[`${service}:prod`]);
    }
    // the tag-ref subject in the immutable form: only the release-candidate role trusts it
    expect(listRoleAssumptions().at(-1)).toMatchObject({
      roleArn: sandboxRoleArn('release-candidate'),
      sub: expect.stringMatching(/^repo:release-org@\d+\/release-[^@]+@\d+:ref:refs\/tags\/v1\.0\.0-rc\.1$/),
      allowed: true,
    });
    expect(listIamDecisions().filter((d) => !d.allowed)).toEqual([]);
  });

  it('a final tag rejected in production: the plan names the RC, commit and digests; nothing moves', async () => {
    const run = await pushRelease('v1.0.0', { production: 'reject' });
    const plan = jobOf(run, 'plan');
    expect(plan.result).toBe('success');
    const rcDigests = {
      api: await digestOf('api', 'v1.0.0-rc.1'),
      worker: await digestOf('worker', 'v1.0.0-rc.1'),
    };
    expect(JSON.parse(plan.outputs.digests!)).toEqual(rcDigests);
    expect(plan.outputs['latest-rc']).toBe('v1.0.0-rc.1');
    expect(plan.outputs['latest-rc-sha']).toBe(repo.tags['v1.0.0']);
    expect(plan.summary).toContain('Promotes release candidate `v1.0.0-rc.1`');
    expect(plan.summary).toContain(`commit \`${repo.tags['v1.0.0']}\``);
    expect(plan.summary).toContain(`| api | \`${rcDigests.api}\` |`);
    expect(plan.summary).toContain(`| worker | \`${rcDigests.worker}\` |`);
    const release = jobOf(run, 'release');
    expect(release.result).toBe('failure');
    expect(release.steps).toEqual([]);
    for (const service of ['api', 'worker']) {
      expect(await digestOf(service, 'prod')).toBe(initial[`${service}:prod`]);
      expect(await digestOf(service, 'v1.0.0')).toBeUndefined();
      expect(await runningDigest(clusters.prod!.name, `${service}-prod`)).toBe(initial[`${service}:prod`]);
    }
  });

  it('a final tag approved in production promotes the planned digests and redeploys production', async () => {
    clearIamDecisions();
    const run = await pushRelease('v1.0.0', { production: 'approve' });
    if (run.conclusion !== 'success') throw new Error(`final release did not succeed: ${describeFailure(run)}`);
    const release = jobOf(run, 'release');
    expect(release).toMatchObject({ result: 'success', environment: 'production' });
    for (const service of ['api', 'worker']) {
      const rc = await digestOf(service, 'v1.0.0-rc.1');
      expect(await digestOf(service, 'v1.0.0')).toBe(rc);
      expect(await digestOf(service, 'prod')).toBe(rc);
      expect(await runningDigest(clusters.prod!.name, `${service}-prod`)).toBe(rc);
    }
    expect(listRoleAssumptions().at(-1)).toMatchObject({
      roleArn: sandboxRoleArn('production'),
      sub: `repo:${owner}/${name}:environment:production`,
      allowed: true,
    });
    expect(listIamDecisions().filter((d) => !d.allowed)).toEqual([]);
  });
});
