/**
 * A shipped template run end to end by the workflow runner (test/runner): pr-cleanup.yml against the sandbox. Two
 * previews are deployed with the bundled deploy-pr-env for PRs of a repository of this run's own; one PR is then
 * closed. A workflow_dispatch dry run changes nothing; the schedule event deletes the closed PR's environment and
 * keeps the open one's. The sweep works in the shared previews cluster and listener but only on what is tagged
 * with its own repository (GITHUB_REPOSITORY), so other suites' previews are never in its plan; the PR numbers
 * come from a range no other suite uses (the repository is created with history, numbering from there), so our
 * names (target groups are named per account) never meet theirs. A second repository's file sets a name-prefix
 * (PREVIEW_NAME_PREFIX): its closed PR's preview is swept too, under the same documented role, whose resource
 * patterns (docs/iam/cleanup-stale.json) the runner's IAM proxy enforces on every call.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { listOwnedRules, listOwnedTargetGroups } from '@preview-actions/core/alb';
import { listOwnedServices } from '@preview-actions/core/ecs';
import { OciClient } from '@preview-actions/core/registry';
import { createGitHubAdminClient } from '../standins/github/admin-client.js';
import { ensureSandbox } from '../sandbox/ensure.js';
import type { SandboxEndpoints } from '../sandbox/endpoints.js';
import { createSandboxAwsClients, destroySandboxAwsClients, type SandboxAwsClients } from '../sandbox/aws-clients.js';
import { createSandboxWorld } from '../runner/sandbox-world.js';
import type { World } from '../runner/world.js';
import type { RunRecord } from '../runner/run-result.js';
import { pushImage } from './registry-fixtures.js';
import { describeFailure } from './release-scenario.js';
import { deploySeed000, removePreviewEnvironment, renderSandboxEnvironmentHeader } from './seed-000-environment.js';

jest.setTimeout(300_000);

const TEMPLATE = '.github/workflow-templates/pr-cleanup.yml';

/** The services, listener rules and target groups tagged as `who`'s, read straight from moto. */
async function listOwnedRouting(sandbox: SandboxEndpoints, aws: SandboxAwsClients, who: { repo: string; pr: number }) {
  const [services, rules, groups] = await Promise.all([
    listOwnedServices(aws.ecs, sandbox.seeded.clusters.previews, who),
    listOwnedRules(aws.elbv2, sandbox.seeded.loadBalancer.httpsListenerArn, who),
    listOwnedTargetGroups(aws.elbv2, who),
  ]);
  return { services, rules, groups };
}

describe('pr-cleanup.yml through the workflow runner', () => {
  const suffix = `${process.pid.toString(36)}${Date.now().toString(36).slice(-5)}`;
  const owner = 'runner-org';
  const name = `cleanup-${suffix}`;
  const repo = `${owner}/${name}`;
  const imageRepository = `previews/sweep-${suffix}`;
  const firstNumber = 90_000 + Math.floor(Math.random() * 900) * 10;
  let sandbox: SandboxEndpoints;
  let aws: SandboxAwsClients;
  let world: World;
  let closed: number;
  let open: number;

  /** What is left of `pr`'s environment, read from moto and the Cloudflare stand-in, kind by kind. */
  async function countResources(pr: number) {
    const { services, rules, groups } = await listOwnedRouting(sandbox, aws, { repo, pr });
    const host = `pr-${pr}.${sandbox.cloudflare.zoneName}`;
    const response = await fetch(
      `${sandbox.cloudflare.directBaseUrl}/zones/${sandbox.cloudflare.zoneId}/dns_records?name=${host}`,
      { headers: { authorization: `Bearer ${sandbox.cloudflare.apiToken}` } },
    );
    const records = ((await response.json()) as { result: unknown[] }).result;
    return { services: services.length, rules: rules.length, groups: groups.length, dns: records.length };
  }

  async function runCleanup(event: { name: string; payload: Record<string, unknown> }): Promise<RunRecord> {
    const handle = world.queue(TEMPLATE, event);
    await world.settle();
    const run = await handle.result;
    if (run.conclusion !== 'success')
      throw new Error(`pr-cleanup.yml did not succeed: ${describeFailure(run)}\n${run.log.join('\n')}`);
    return run;
  }

  beforeAll(async () => {
    sandbox = await ensureSandbox();
    aws = createSandboxAwsClients(sandbox.aws.directUrl);
    const admin = createGitHubAdminClient(sandbox.github.adminUrl);
    await admin.call('createRepository', { owner, name, firstNumber });
    world = await createSandboxWorld(sandbox, { repository: { owner, name } });
    closed = (await admin.call('createPullRequest', { repo })).number;
    open = (await admin.call('createPullRequest', { repo })).number;
    const workspace = mkdtempSync(join(tmpdir(), 'pr-cleanup-'));
    mkdirSync(join(workspace, '.github'));
    writeFileSync(
      join(workspace, '.github/preview.yml'),
      `${renderSandboxEnvironmentHeader(sandbox).replace('/previews/app', `/${imageRepository}`)}services:
  - name: api
    command: [./run_api.sh]
    port: 8000
    paths: [/api/*]
    health-check-path: /api/health
  - name: celery-default
    command: [./run_celery.sh, default]
`,
    );
    const registry = new OciClient({
      host: sandbox.registries.basic.directHost,
      credentials: { username: sandbox.registries.basic.username, password: sandbox.registries.basic.password },
      maskSecret: () => undefined,
    });
    for (const pr of [closed, open]) {
      // deploy-pr-env runs the image tagged pr-{N} of the file's image-repository: a repository of this run's own.
      await pushImage(registry, imageRepository, `sweep-${suffix}-${pr}`, `pr-${pr}`);
      const run = await deploySeed000(sandbox, { pr, workspace, awsUrl: sandbox.aws.directUrl, repository: repo });
      if (run.exitCode !== 0) {
        const errors = run.annotations.filter((a) => a.level === 'error').map((a) => a.message);
        throw new Error(`deploy of PR ${pr} failed: ${errors.join(' | ') || run.stderr}`);
      }
    }
    await admin.call('closePullRequest', { repo, number: closed });
  });

  afterAll(async () => {
    for (const pr of [closed, open].filter(Boolean)) {
      // The open one always, the closed one if the sweep failed: leave nothing on the shared listener.
      await removePreviewEnvironment(sandbox, pr, { repository: repo });
    }
    if (aws) destroySandboxAwsClients(aws);
  });

  it('has both environments deployed before any sweep, numbered in our own range', async () => {
    expect([closed, open]).toEqual([firstNumber, firstNumber + 1]);
    expect(await countResources(closed)).toEqual({ services: 2, rules: 1, groups: 1, dns: 1 });
    expect(await countResources(open)).toEqual({ services: 2, rules: 1, groups: 1, dns: 1 });
  });

  it('workflow_dispatch with dry-run true prints the plan and changes nothing', async () => {
    const before = [await countResources(closed), await countResources(open)];
    const run = await runCleanup({
      name: 'workflow_dispatch',
      payload: { inputs: { 'dry-run': 'true' }, ref: 'refs/heads/main' },
    });
    expect(run).toMatchObject({ status: 'completed', concurrencyGroup: 'preview-cleanup' });
    const [sweep] = run.jobs;
    expect(sweep).toMatchObject({ id: 'sweep', result: 'success', environment: 'preview' });
    const plan = JSON.parse(sweep!.steps[1]!.outputs.deleted ?? '[]') as { pr: number }[];
    expect(plan.map((e) => e.pr)).toEqual([closed]);
    expect(run.log).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^\[sweep\/Run org\/preview-actions\/cleanup-stale@v1\] Dry run: would delete 1, would hibernate 0, skipped 1, \d+ look-alike\(s\)\.$/,
        ),
      ]),
    );
    expect([await countResources(closed), await countResources(open)]).toEqual(before);
  });

  it('a schedule event deletes the closed PR’s environment and keeps the open one’s', async () => {
    const run = await runCleanup({ name: 'schedule', payload: { schedule: '17 */6 * * *' } });
    const [sweep] = run.jobs;
    expect(sweep).toMatchObject({ id: 'sweep', result: 'success', environment: 'preview' });
    expect(sweep!.steps.map((s) => s.outcome)).toEqual(['success', 'success']);
    const deleted = JSON.parse(sweep!.steps[1]!.outputs.deleted ?? '[]') as { pr: number }[];
    expect(deleted.map((e) => e.pr)).toEqual([closed]);
    // The job token (no actions: read, no administration) may not read or delete the GitHub environment: a
    // warning naming the permission, not a failed sweep (docs/github-permissions.md).
    expect(run.log.join('\n')).toContain(`Could not delete environment pr-${closed} (HTTP 403)`);
    expect(await countResources(closed)).toEqual({ services: 0, rules: 0, groups: 0, dns: 0 });
    expect(await countResources(open)).toEqual({ services: 2, rules: 1, groups: 1, dns: 1 });
  });
});

describe('pr-cleanup.yml through the workflow runner, for an environment file with a name-prefix', () => {
  const suffix = `${process.pid.toString(36)}${Date.now().toString(36).slice(-5)}`;
  const owner = 'runner-org';
  const name = `cleanup-np-${suffix}`;
  const repo = `${owner}/${name}`;
  const namePrefix = 'swp';
  const imageRepository = `previews/sweep-np-${suffix}`;
  const firstNumber = 91_000 + Math.floor(Math.random() * 900) * 10;
  let sandbox: SandboxEndpoints;
  let aws: SandboxAwsClients;
  let world: World;
  let closed = 0;

  async function countResources(pr: number) {
    const { services, rules, groups } = await listOwnedRouting(sandbox, aws, { repo, pr });
    return {
      services: services.map((s) => s.name),
      rules: rules.length,
      groups: groups.map((g) => g.resource.TargetGroupName),
    };
  }

  beforeAll(async () => {
    sandbox = await ensureSandbox();
    aws = createSandboxAwsClients(sandbox.aws.directUrl);
    const admin = createGitHubAdminClient(sandbox.github.adminUrl);
    await admin.call('createRepository', { owner, name, firstNumber });
    world = await createSandboxWorld(sandbox, {
      repository: { owner, name },
      vars: { PREVIEW_NAME_PREFIX: namePrefix },
    });
    closed = (await admin.call('createPullRequest', { repo })).number;
    const workspace = mkdtempSync(join(tmpdir(), 'pr-cleanup-np-'));
    mkdirSync(join(workspace, '.github'));
    writeFileSync(
      join(workspace, '.github/preview.yml'),
      `${renderSandboxEnvironmentHeader(sandbox).replace('/previews/app', `/${imageRepository}`)}name-prefix: ${namePrefix}
services:
  - name: api
    command: [./run_api.sh]
    port: 8000
    paths: [/api/*]
    health-check-path: /api/health
`,
    );
    const registry = new OciClient({
      host: sandbox.registries.basic.directHost,
      credentials: { username: sandbox.registries.basic.username, password: sandbox.registries.basic.password },
      maskSecret: () => undefined,
    });
    await pushImage(registry, imageRepository, `sweep-np-${suffix}-${closed}`, `pr-${closed}`);
    const run = await deploySeed000(sandbox, {
      pr: closed,
      workspace,
      awsUrl: sandbox.aws.directUrl,
      repository: repo,
    });
    if (run.exitCode !== 0) {
      const errors = run.annotations.filter((a) => a.level === 'error').map((a) => a.message);
      throw new Error(`deploy of PR ${closed} failed: ${errors.join(' | ') || run.stderr}`);
    }
    await admin.call('closePullRequest', { repo, number: closed });
  });

  afterAll(async () => {
    if (closed) await removePreviewEnvironment(sandbox, closed, { repository: repo, namePrefix });
    if (aws) destroySandboxAwsClients(aws);
  });

  it('a schedule event deletes the closed PR’s prefixed environment under the documented role', async () => {
    expect(await countResources(closed)).toEqual({
      services: [`${namePrefix}-pr-${closed}-api`],
      rules: 1,
      groups: [`${namePrefix}-pr-${closed}-api`],
    });
    const handle = world.queue(TEMPLATE, { name: 'schedule', payload: { schedule: '17 */6 * * *' } });
    await world.settle();
    const run = await handle.result;
    if (run.conclusion !== 'success')
      throw new Error(`pr-cleanup.yml did not succeed: ${describeFailure(run)}\n${run.log.join('\n')}`);
    const [sweep] = run.jobs;
    const deleted = JSON.parse(sweep!.steps[1]!.outputs.deleted ?? '[]') as { pr: number }[];
    expect(deleted.map((e) => e.pr)).toEqual([closed]);
    expect(JSON.parse(sweep!.steps[1]!.outputs.failed ?? '[]')).toEqual([]);
    expect(await countResources(closed)).toEqual({ services: [], rules: 0, groups: [] });
  });
});
