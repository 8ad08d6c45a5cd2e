import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PutImageCommand } from '@aws-sdk/client-ecr';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OciClient } from '@preview-actions/core/registry';
import type { ActionRun } from '../harness/index.js';
import { createSandboxAwsClients, destroySandboxAwsClients, type SandboxAwsClients } from '../sandbox/aws-clients.js';
import { ensureSandbox } from '../sandbox/ensure.js';
import type { SandboxEndpoints } from '../sandbox/endpoints.js';
import { startFaultProxy, type FaultProxy } from '../sandbox/fault-proxy/server.js';
import { createFaultProxyClient } from '../sandbox/fault-proxy/client.js';
import { createGitHubAdminClient } from '../standins/github/admin-client.js';
import { pushBehaviourImage, type SandboxEcsBehaviour } from '../sandbox/behaviour-image.js';
import { pushImage } from './registry-fixtures.js';
import {
  deploySeed000,
  readPreviewResources,
  removePreviewEnvironment,
  renderSeed000EnvironmentFile,
} from './seed-000-environment.js';

// Seed 000's stack (api on /api/*, admin on /admin/*, three celery workers) deployed by the bundled
// action on moto, with DNS in the Cloudflare stand-in and a Deployment in the GitHub stand-in.
// AWS calls go through a private fault proxy so its counters and faults belong to this file.
// The sandbox's ECS runs each image as its behaviour label says and registers routed tasks as ALB targets, so
// both waits run as in production; each PR's images are pushed before it is deployed.
let sandbox: SandboxEndpoints;
let aws: SandboxAwsClients;
let proxy: FaultProxy;
let workspace: string;
let pushedDigest = '';
let registry: OciClient;
// A range of its own (other suites use theirs), so parallel files never share a PR's environment.
const basePr = 20_000 + Math.floor(Math.random() * 900) * 200;
const repo = 'octo-org/octo-repo';
let shopRepo = '';
const services = ['api', 'admin', 'celery-default', 'celery-async', 'celery-low'];

function environmentFile(): string {
  return renderSeed000EnvironmentFile(sandbox);
}

/** The same stack with one field changed, written next to the main file. */
function writeVariant(name: string, edit: (text: string) => string): string {
  const file = `.github/${name}.yml`;
  writeFileSync(join(workspace, file), edit(environmentFile()));
  return file;
}

function deploy(pr: number, extra: Record<string, string> = {}, file = '.github/preview.yml'): Promise<ActionRun> {
  return deploySeed000(sandbox, { pr, workspace, awsUrl: proxy.urls.aws!, file, inputs: extra });
}

/** Everything the environment of `pr` owns, read straight from moto, Cloudflare and GitHub. */
async function readEnvironment(pr: number) {
  const found = await readPreviewResources(sandbox, aws, pr, new RegExp(`^pr-${pr}-[a-z-]+$`));
  // Only what carries our tags for this PR: a look-alike another suite seeds by name is not ours.
  const described = found.services.filter((s) => s.tags['preview-actions:pr'] === String(pr));
  const host = `pr-${pr}.${sandbox.cloudflare.zoneName}`;
  const records = await fetch(
    `${sandbox.cloudflare.baseUrl}/zones/${sandbox.cloudflare.zoneId}/dns_records?name=${host}`,
    {
      headers: { authorization: `Bearer ${sandbox.cloudflare.apiToken}` },
    },
  ).then((r) => r.json() as Promise<{ result: { content: string; proxied: boolean; comment: string }[] }>);
  return {
    services: described.map((s) => ({ name: s.name, tags: s.tags })),
    rules: found.rules.map((r) => ({
      priority: r.Priority,
      paths: r.Conditions?.find((c) => c.Field === 'path-pattern')?.PathPatternConfig?.Values,
    })),
    targetGroups: found.groups.map((g) => g.TargetGroupName),
    records: records.result,
  };
}

/** Fails with the run's own error lines, so a red test says why the action failed. */
function expectSuccess(run: ActionRun): void {
  const errors = run.annotations.filter((a) => a.level === 'error').map((a) => a.message);
  expect({ exitCode: run.exitCode, errors }).toEqual({ exitCode: 0, errors: [] });
}

/** The deploy failed with one error naming the api service, and its log or summary says ECS's `reason`. */
function expectApiFailure(run: ActionRun, reason: string): void {
  expect(run.exitCode).toBe(1);
  const errors = run.annotations.filter((a) => a.level === 'error' && a.message.startsWith('deploy-pr-env failed'));
  expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/^deploy-pr-env failed: .*pr-\d+-api/)]);
  expect(run.stdout + run.summary).toContain(reason);
}

/** Pushes `previews/app:pr-N` (healthy), the image every service of the PR's stack runs unless a variant says. */
async function pushPrImage(pr: number) {
  return pushImage(registry, 'previews/app', `pr-${pr}`, `pr-${pr}`);
}

/** Pushes `previews/app:<tag>` doing `behaviour`, for a variant that gives one service its own image. */
async function pushVariantImage(tag: string, behaviour: SandboxEcsBehaviour) {
  const host = sandbox.registries.basic.host;
  return pushBehaviourImage({ client: registry, host }, 'previews/app', tag, behaviour);
}

/** The stack with `service` running `previews/app:<tag>` instead of the PR's image. */
function withImage(name: string, service: string, tag: string): string {
  return writeVariant(name, (text) =>
    text.replace(`  - name: ${service}\n`, `  - name: ${service}\n    image: '{repository}:${tag}'\n`),
  );
}

async function awsCalls(): Promise<Record<string, number>> {
  const counters = await createFaultProxyClient(proxy.adminUrl).counters();
  return Object.fromEntries(Object.entries(counters.aws ?? {}).map(([op, c]) => [op, c.calls]));
}

/** How many mutating AWS calls went through this file's proxy so far. */
async function mutatingCalls(): Promise<number> {
  const counters = await createFaultProxyClient(proxy.adminUrl).counters();
  return Object.values(counters.aws ?? {}).reduce((sum, c) => sum + c.mutating, 0);
}

beforeAll(async () => {
  sandbox = await ensureSandbox();
  aws = createSandboxAwsClients(sandbox.aws.directUrl);
  proxy = await startFaultProxy({ targets: { aws: { url: sandbox.aws.directUrl, kind: 'aws' } } });
  workspace = mkdtempSync(join(tmpdir(), 'deploy-pr-env-'));
  mkdirSync(join(workspace, '.github'));
  writeFileSync(join(workspace, '.github', 'preview.yml'), environmentFile());
  writeFileSync(
    join(workspace, '.github', 'broken.yml'),
    environmentFile().replace('port: 8000', 'port: 99999').replace('ttl-hours: 24', 'ttl-hour: 24'),
  );
  registry = new OciClient({
    host: sandbox.registries.basic.directHost,
    credentials: { username: sandbox.registries.basic.username, password: sandbox.registries.basic.password },
    maskSecret: () => undefined,
  });
  // The second repository of the name-prefix case, new each run so the stand-in's history never carries over.
  shopRepo = `octo-org/shop-${basePr}`;
  await createGitHubAdminClient(sandbox.github.adminUrl).call('createRepository', {
    owner: 'octo-org',
    name: `shop-${basePr}`,
  });
  pushedDigest = (await pushPrImage(basePr)).digest;
  for (const i of [2, 4, 5, 6, 10]) await pushPrImage(basePr + i);
}, 900_000);

afterAll(async () => {
  // The listener's quotas (100 rules, 100 target groups) are shared by every suite: leave nothing behind.
  if (sandbox) await removePreviewEnvironment(sandbox, basePr + 10, { repository: shopRepo, namePrefix: 'shop' });
  if (sandbox)
    for (const pr of [0, 2, 4, 5, 6, 7, 8, 9, 10, 100].map((i) => basePr + i))
      await removePreviewEnvironment(sandbox, pr);
  destroySandboxAwsClients(aws);
  await proxy.close();
});

describe('deploy-pr-env on the sandbox', () => {
  it('PR opened: five services, two routed with rules and target groups, a proxied DNS record, a successful deployment', async () => {
    const run = await deploy(basePr);
    expect(run.annotations.filter((a) => a.level === 'error')).toEqual([]);
    expectSuccess(run);
    const env = await readEnvironment(basePr);
    expect(env.services.map((s) => s.name).sort()).toEqual(services.map((s) => `pr-${basePr}-${s}`).sort());
    for (const s of env.services) {
      expect(s.tags).toMatchObject({
        'preview-actions:managed': 'true',
        'preview-actions:repo': repo,
        'preview-actions:pr': String(basePr),
      });
      expect(s.tags['preview-actions:expires-at']).toMatch(/^\d{4}-\d\d-\d\dT/);
    }
    expect(env.rules.map((r) => r.paths?.[0]).sort()).toEqual(['/admin/*', '/api/*']);
    expect(env.targetGroups).toHaveLength(2);
    expect(env.records).toHaveLength(1);
    expect(env.records[0]).toMatchObject({ content: sandbox.seeded.loadBalancer.dnsName.toLowerCase(), proxied: true });
    expect(run.outputs).toMatchObject({
      environment: `pr-${basePr}`,
      url: `https://pr-${basePr}.${sandbox.cloudflare.zoneName}/`,
    });
    expect(JSON.parse(run.outputs.urls!)).toEqual({
      api: `https://pr-${basePr}.${sandbox.cloudflare.zoneName}/api/`,
      admin: `https://pr-${basePr}.${sandbox.cloudflare.zoneName}/admin/`,
    });
    const deployed = JSON.parse(run.outputs.services!) as Record<string, { image: string }>;
    expect(deployed.api!.image).toBe(`${sandbox.registries.basic.host}/previews/app@${pushedDigest}`);
    expect(Number(run.outputs['estimated-cost-per-day'])).toBeGreaterThan(0);
    const deployments = (await fetch(`${sandbox.github.apiUrl}/repos/${repo}/deployments?environment=pr-${basePr}`, {
      headers: { authorization: `token ${sandbox.github.token}` },
    }).then((r) => r.json())) as { id: number; transient_environment: boolean }[];
    expect(deployments).toHaveLength(1);
    const statuses = (await fetch(`${sandbox.github.apiUrl}/repos/${repo}/deployments/${deployments[0]!.id}/statuses`, {
      headers: { authorization: `token ${sandbox.github.token}` },
    }).then((r) => r.json())) as { state: string; environment_url: string }[];
    expect(statuses[0]).toMatchObject({ state: 'success', environment_url: run.outputs.url });
  }, 300_000);

  it('synchronize: updated in place, no duplicates, priorities unchanged', async () => {
    const before = await readEnvironment(basePr);
    const run = await deploy(basePr);
    expectSuccess(run);
    const after = await readEnvironment(basePr);
    expect(after.services.map((s) => s.name).sort()).toEqual(before.services.map((s) => s.name).sort());
    expect(after.rules).toEqual(before.rules);
    expect(after.targetGroups.sort()).toEqual(before.targetGroups.sort());
    expect(after.records).toHaveLength(1);
    expect(
      Object.values(JSON.parse(run.outputs.services!) as Record<string, { action: string }>).map((s) => s.action),
    ).toEqual(services.map(() => 'updated'));
  }, 300_000);

  it('an invalid environment file fails with field-precise errors before any AWS call', async () => {
    const before = await awsCalls();
    const run = await deploy(basePr + 1, {}, '.github/broken.yml');
    expect(run.exitCode).toBe(1);
    const [error] = run.annotations.filter((a) => a.level === 'error');
    expect(error!.message).toMatch(/services\[0\]\.port: must be an integer from 1 to 65535/);
    expect(error!.message).toMatch(/ttl-hour/);
    expect(await awsCalls()).toEqual(before);
  }, 120_000);

  it('two concurrent deploys of the same PR converge to one environment', async () => {
    const pr = basePr + 2;
    const runs = await Promise.all([deploy(pr), deploy(pr)]);
    const settled = runs.map((r) => r.exitCode);
    const again = await deploy(pr);
    expectSuccess(again);
    const env = await readEnvironment(pr);
    expect(env.services).toHaveLength(5);
    expect(env.rules).toHaveLength(2);
    expect(env.targetGroups).toHaveLength(2);
    expect(env.records).toHaveLength(1);
    expect(settled.filter((code) => code === 0).length).toBeGreaterThanOrEqual(1);
  }, 300_000);

  it('a routing change (new path, new health check) updates the rule and the target group in place', async () => {
    const pr = basePr + 4;
    expectSuccess(await deploy(pr));
    const before = await readEnvironment(pr);
    const file = writeVariant('routing-change', (text) =>
      text
        .replace('paths: [/api/*]', 'paths: [/api/*, /v2/api/*]')
        .replace('health-check-path: /api/health', 'health-check-path: /api/ready'),
    );
    const run = await deploy(pr, {}, file);
    expectSuccess(run);
    const after = await readEnvironment(pr);
    expect(after.targetGroups.sort()).toEqual(before.targetGroups.sort());
    const api = after.rules.find((r) => r.paths?.includes('/api/*'));
    expect(api!.paths).toEqual(['/api/*', '/v2/api/*']);
    expect(api!.priority).toBe(before.rules.find((r) => r.paths?.includes('/api/*'))!.priority);
  }, 300_000);

  it('a service that never becomes stable fails the deploy with ECS diagnostics and a failed Deployment', async () => {
    // celery-low's tasks take two minutes to become healthy: far beyond the 30 s (the least allowed) the deploy waits.
    const pr = basePr + 5;
    await pushVariantImage(`pr-${pr}-slow`, 'slow=120');
    const file = withImage('unstable', 'celery-low', `pr-${pr}-slow`);
    const run = await deploy(pr, { 'wait-timeout': '30' }, file);
    expect(run.exitCode).toBe(1);
    const errors = run.annotations.filter((a) => a.level === 'error' && a.message.startsWith('deploy-pr-env failed'));
    expect(errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/ECS services did not become stable: pr-\d+-celery-low timeout/),
    ]);
    expect(run.summary).toContain('ECS diagnostics');
    const deployments = (await fetch(`${sandbox.github.apiUrl}/repos/${repo}/deployments?environment=pr-${pr}`, {
      headers: { authorization: `token ${sandbox.github.token}` },
    }).then((r) => r.json())) as { id: number }[];
    const statuses = (await fetch(`${sandbox.github.apiUrl}/repos/${repo}/deployments/${deployments[0]!.id}/statuses`, {
      headers: { authorization: `token ${sandbox.github.token}` },
    }).then((r) => r.json())) as { state: string }[];
    expect(statuses[0]!.state).toBe('failure');
  }, 300_000);

  it('targets that never become healthy fail the deploy, naming the failed health checks', async () => {
    // api's tasks run but fail the target group's health check, so ECS stops them and the deploy fails.
    const pr = basePr + 6;
    await pushVariantImage(`pr-${pr}-unhealthy`, 'unhealthy');
    const run = await deploy(pr, {}, withImage('unhealthy', 'api', `pr-${pr}-unhealthy`));
    expectApiFailure(run, 'Task failed ELB health checks');
  }, 300_000);

  it('a healthy image with health-timeout at its default: success, and the URL only once the targets are healthy; a desired-count 0 service is deployed and not waited on', async () => {
    const pr = basePr + 11;
    const healthy = await pushVariantImage(`pr-${pr}`, 'healthy');
    const file = writeVariant('idle-worker', (text) =>
      text.replace(
        '    command: [./run_celery.sh, low]\n',
        '    command: [./run_celery.sh, low]\n    desired-count: 0\n',
      ),
    );
    const before = await awsCalls();
    const run = await deploy(pr, {}, file);
    expectSuccess(run);
    // the health wait ran (no input given: its default), and the URL and the Deployment's success came after it
    const after = await awsCalls();
    expect(
      (after['elasticloadbalancing:DescribeTargetHealth'] ?? 0) -
        (before['elasticloadbalancing:DescribeTargetHealth'] ?? 0),
    ).toBeGreaterThan(0);
    expect(run.outputs.url).toBe(`https://pr-${pr}.${sandbox.cloudflare.zoneName}/`);
    const found = await readPreviewResources(sandbox, aws, pr, new RegExp(`^pr-${pr}-[a-z-]+$`));
    expect(found.groups).toHaveLength(2);
    for (const group of found.groups) {
      const { TargetHealthDescriptions: targets } = await aws.elbv2.send(
        new DescribeTargetHealthCommand({ TargetGroupArn: group.TargetGroupArn }),
      );
      expect(targets?.map((t) => t.TargetHealth?.State)).toEqual(['healthy']);
    }
    const deployed = JSON.parse(run.outputs.services!) as Record<string, { image: string }>;
    expect(deployed.api!.image).toBe(`${sandbox.registries.basic.host}/previews/app@${healthy.digest}`);
    // celery-low: made with no task to run, and left out of the wait
    expect(run.stdout).toContain(`Desired count 0, deployed and not waited on: pr-${pr}-celery-low`);
    const { services: idle } = await aws.ecs.send(
      new DescribeServicesCommand({ cluster: sandbox.seeded.clusters.previews, services: [`pr-${pr}-celery-low`] }),
    );
    expect(idle?.map((s) => ({ status: s.status, desired: s.desiredCount }))).toEqual([
      { status: 'ACTIVE', desired: 0 },
    ]);
  }, 300_000);

  it("a crashing image fails the deploy, naming the stopped tasks' reasons", async () => {
    const pr = basePr + 12;
    await pushVariantImage(`pr-${pr}`, 'healthy');
    await pushVariantImage(`pr-${pr}-crash`, 'crash');
    const run = await deploy(pr, {}, withImage('crash', 'api', `pr-${pr}-crash`));
    expectApiFailure(run, 'Essential container in task exited');
  }, 300_000);

  it('the switch health-timeout: 0 skips the ALB health wait: success without one DescribeTargetHealth call (the default run above makes them)', async () => {
    const pr = basePr + 13;
    await pushVariantImage(`pr-${pr}`, 'healthy');
    const before = await awsCalls();
    const run = await deploy(pr, { 'health-timeout': '0' });
    expectSuccess(run);
    const after = await awsCalls();
    expect(after['elasticloadbalancing:DescribeTargetHealth'] ?? 0).toBe(
      before['elasticloadbalancing:DescribeTargetHealth'] ?? 0,
    );
    // ECS was still waited on
    expect(after['ecs:DescribeServiceDeployments'] ?? 0).toBeGreaterThan(before['ecs:DescribeServiceDeployments'] ?? 0);
    expect(run.outputs.url).toBe(`https://pr-${pr}.${sandbox.cloudflare.zoneName}/`);
  }, 300_000);

  it('with sha, deploys the image built for that commit, not the newer pr-N, and records the Deployment on it', async () => {
    const pr = basePr + 8;
    const approved = 'a'.repeat(40);
    const later = 'b'.repeat(40);
    // The build of the approved commit, then a push after the comment: pr-N now names the later commit's image.
    const built = await pushImage(registry, 'previews/app', `commit ${approved}`, `sha-${approved}`);
    await pushImage(registry, 'previews/app', `commit ${approved}`, `pr-${pr}`);
    const newer = await pushImage(registry, 'previews/app', `commit ${later}`, `sha-${later}`);
    await pushImage(registry, 'previews/app', `commit ${later}`, `pr-${pr}`);
    expect(newer.digest).not.toBe(built.digest);

    const run = await deploy(pr, { sha: approved });
    expectSuccess(run);
    const deployed = JSON.parse(run.outputs.services!) as Record<string, { image: string }>;
    for (const service of services)
      expect(deployed[service]!.image).toBe(`${sandbox.registries.basic.host}/previews/app@${built.digest}`);
    const deployments = (await fetch(`${sandbox.github.apiUrl}/repos/${repo}/deployments?environment=pr-${pr}`, {
      headers: { authorization: `token ${sandbox.github.token}` },
    }).then((r) => r.json())) as { ref: string; sha: string }[];
    expect(deployments.map((d) => d.ref)).toEqual([approved]);
  }, 300_000);

  it('with sha but no image for that commit, fails naming the image before anything is made', async () => {
    const pr = basePr + 9;
    const unbuilt = 'c'.repeat(40);
    const before = await mutatingCalls();
    const run = await deploy(pr, { sha: unbuilt });
    expect(run.exitCode).not.toBe(0);
    const errors = run.annotations.filter((a) => a.level === 'error').map((a) => a.message);
    expect(errors.join('\n')).toContain(
      `no image ${sandbox.registries.basic.host}/previews/app:sha-${unbuilt} for commit ${unbuilt}`,
    );
    const env = await readEnvironment(pr);
    expect({ services: env.services, rules: env.rules, groups: env.targetGroups, records: env.records }).toEqual({
      services: [],
      rules: [],
      groups: [],
      records: [],
    });
    expect(await mutatingCalls()).toBe(before);
  }, 300_000);

  it('a PR whose image was never pushed fails naming the image before anything is made', async () => {
    const pr = basePr + 3;
    const before = await mutatingCalls();
    const run = await deploy(pr);
    expect(run.exitCode).toBe(1);
    const errors = run.annotations.filter((a) => a.level === 'error').map((a) => a.message);
    expect(errors).toEqual([
      expect.stringContaining(`no image ${sandbox.registries.basic.host}/previews/app:pr-${pr} in its registry`),
    ]);
    expect(errors[0]).not.toContain('\n');
    const env = await readEnvironment(pr);
    expect([env.services, env.rules, env.targetGroups, env.records]).toEqual([[], [], [], []]);
    expect(await mutatingCalls()).toBe(before);
  }, 300_000);

  it('refuses a sha that is not 40 hex digits before any call', async () => {
    const run = await deploy(basePr + 9, { sha: 'abc1234' });
    expect(run.exitCode).not.toBe(0);
    expect(run.annotations.map((a) => a.message).join('\n')).toMatch(/sha.*40 lower-case hex digits/);
  }, 300_000);

  it('a second repository with a name-prefix deploys the same PR number beside the first, in its own names', async () => {
    const pr = basePr + 10;
    expectSuccess(await deploy(pr));
    const file = writeVariant('prefixed', (text) => `name-prefix: shop\n${text}`);
    const run = await deploySeed000(sandbox, {
      pr,
      workspace,
      awsUrl: proxy.urls.aws!,
      file,
      repository: shopRepo,
    });
    expectSuccess(run);
    expect(run.outputs.url).toBe(`https://shop-pr-${pr}.${sandbox.cloudflare.zoneName}/`);
    const found = await readPreviewResources(sandbox, aws, pr, new RegExp(`^shop-pr-${pr}-[a-z-]+$`));
    expect(found.services.map((s) => s.name).sort()).toEqual(services.map((s) => `shop-pr-${pr}-${s}`).sort());
    expect(found.services.every((s) => s.tags['preview-actions:repo'] === shopRepo)).toBe(true);
    const api = found.services.find((s) => s.name === `shop-pr-${pr}-api`)!;
    const { taskDefinition } = await aws.ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: api.service!.taskDefinition! }),
    );
    const container = taskDefinition!.containerDefinitions!.find((c) => c.name === 'api')!;
    expect(taskDefinition!.family).toBe(`shop-pr-${pr}-api`);
    expect(container.environment).toEqual(expect.arrayContaining([{ name: 'REDIS_PREFIX', value: `shop-pr-${pr}` }]));
    expect(container.logConfiguration?.options?.['awslogs-stream-prefix']).toBe(`shop-pr-${pr}`);
    // The first repository's environment is untouched: same services, still its own.
    const first = await readEnvironment(pr);
    expect(first.services.map((s) => s.name).sort()).toEqual(services.map((s) => `pr-${pr}-${s}`).sort());
    expect(first.records).toHaveLength(1);
  }, 300_000);

  it('pins an image in ECR by digest', async () => {
    const repository = sandbox.seeded.ecrRepositories.api;
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${'1'.repeat(64)}`, size: 2 },
      layers: [],
    });
    const pr = basePr + 7;
    const put = await aws.ecr.send(
      new PutImageCommand({
        repositoryName: 'api',
        imageManifest: manifest,
        imageTag: `pr-${pr}`,
        imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json',
      }),
    );
    const file = writeVariant('ecr', (text) => text.replace(/image-repository: .*/, `image-repository: ${repository}`));
    const run = await deploy(pr, {}, file);
    expectSuccess(run);
    const deployed = JSON.parse(run.outputs.services!) as Record<string, { image: string }>;
    expect(deployed.api!.image).toBe(`${repository}@${put.image!.imageId!.imageDigest}`);
  }, 300_000);

  it('failing the k-th mutating AWS call of a first deploy, for every k, then re-running converges to the clean state', async () => {
    const before = await mutatingCalls();
    await pushPrImage(basePr + 100);
    expectSuccess(await deploy(basePr + 100));
    const writes = (await mutatingCalls()) - before;
    expect(writes).toBeGreaterThanOrEqual(14);
    const clean = await readEnvironment(basePr + 100);
    const cleanShape = {
      services: clean.services.length,
      rules: clean.rules.length,
      groups: clean.targetGroups.length,
    };
    expect(cleanShape).toEqual({ services: 5, rules: 2, groups: 2 });
    const client = createFaultProxyClient(proxy.adminUrl);
    for (let k = 1; k <= writes; k++) {
      const pr = basePr + 100 + k;
      // The k-th write reaches moto, then its answer is a 500: the SDK retries a call that already happened.
      await pushPrImage(pr);
      const [rule] = await client.addRules({ target: 'aws', failNthMutating: k, afterForward: true });
      const faulted = await deploy(pr);
      await client.removeRule(rule!.id);
      const rerun = await deploy(pr);
      expect({ k, first: [0, 1].includes(faulted.exitCode ?? -1), rerun: rerun.exitCode }).toEqual({
        k,
        first: true,
        rerun: 0,
      });
      const env = await readEnvironment(pr);
      expect({
        k,
        services: env.services.length,
        rules: env.rules.length,
        groups: env.targetGroups.length,
        records: env.records.length,
      }).toEqual({
        k,
        ...cleanShape,
        records: 1,
      });
      await removePreviewEnvironment(sandbox, pr);
    }
  }, 900_000);
});
