/**
 * deploy-form.yml run end to end by the workflow runner on the sandbox: a form deploy of an older version to test
 * (environment test, the release-candidate role) and to prod (approval in production, the production role), a
 * rollback by choosing the previous version again, and one queue for production across templates: release.yml's
 * production job and deploy-form's prod job queued together end on the later one for every service, never a mix.
 * `dev` (runs-on self-hosted: deploy-compose on the dev host) runs on the sandbox's compose host stand-in
 * (test/sandbox/compose-host): the fixture's docker-compose.yml and .env, the release images pulled from the
 * sandbox registry, api publishing a free port the scenario names through DEV_HEALTH_URL (a fixed 8080 would
 * collide between worktrees on one machine).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { ensureSandbox } from '../sandbox/ensure.js';
import { findFreePorts } from '../sandbox/free-port.js';
import { isContainerRunning, readProjectRecord, stopComposeProject } from '../sandbox/compose-host/compose-state.js';
import { sandboxRoleArn } from '../runner/iam/sandbox-roles.js';
import { listRoleAssumptions } from '../runner/standins/aws-actions-configure-aws-credentials.js';
import type { RunRecord } from '../runner/run-result.js';
import type { EnvironmentDecisions } from '../runner/run-state.js';
import { createReleaseScenario, describeFailure, SERVICES, type ReleaseScenario } from './release-scenario.js';

jest.setTimeout(600_000);

const FORM = '.github/workflow-templates/deploy-form.yml';
const RELEASE = '.github/workflow-templates/release.yml';
let s: ReleaseScenario;
const versions: Record<string, Record<string, string>> = {};
// the dev host's compose project: the basename of the project directory (`.`, the job's workspace)
const DEV_PROJECT = 'workspace';
let devPort: number;
const devHealthUrl = () => `http://localhost:${devPort}/health`;

const dispatch = (environment: string, version: string) => ({
  name: 'workflow_dispatch',
  payload: { inputs: { environment, version }, ref: 'refs/heads/main' },
  // GITHUB_SHA of a dispatch is the head of the ref: what the dev job checks out
  sha: s.repo.head,
});

async function dispatchForm(
  environment: string,
  version: string,
  environments: EnvironmentDecisions = {},
  vars: Record<string, string> = {},
) {
  const world = await s.world({ environments, vars });
  const handle = world.queue(FORM, dispatch(environment, version));
  await world.settle();
  return handle.result;
}

async function deploy(environment: string, version: string, environments: EnvironmentDecisions = {}) {
  const run = await dispatchForm(environment, version, environments, { DEV_HEALTH_URL: devHealthUrl() });
  if (run.conclusion !== 'success') throw new Error(`deploy ${environment} ${version}: ${describeFailure(run)}`);
  return run;
}

const results = (run: RunRecord) => Object.fromEntries(run.jobs.map((j) => [j.id, j.result]));

async function expectRunning(environment: 'test' | 'prod', version: string) {
  for (const service of SERVICES) {
    expect([service, await s.digestOf(service, environment)]).toEqual([service, versions[version]![service]]);
    expect([service, await s.runningDigest(environment, service)]).toEqual([service, versions[version]![service]]);
  }
}

/** What the dev host's compose project runs, per service: image, digest, and whether its process is alive. */
function devContainers() {
  const project = readProjectRecord(DEV_PROJECT);
  return Object.fromEntries(
    Object.values(project?.containers ?? {}).map((c) => [
      c.service,
      { image: c.image, digest: c.digest, pid: c.pid, running: isContainerRunning(c) },
    ]),
  );
}

function expectDevRunning(version: string) {
  const running = devContainers();
  for (const service of SERVICES) {
    expect(running[service]).toMatchObject({
      image: `${s.namespace}/${service}:${version}`,
      digest: versions[version]![service],
      running: true,
    });
  }
}

beforeAll(async () => {
  devPort = (await findFreePorts(1))[0]!;
  s = await createReleaseScenario(await ensureSandbox(), 'form', {
    commits: [{ message: 'release 2.0' }],
    tags: { 'v2.0.0-rc.1': 1, 'v2.0.0': 1 },
    values: { __DEV_HTTP_PORT__: String(devPort) },
  });
  // versions released earlier: what the form chooses from (the RC of v2.0.0 is what release.yml promotes)
  for (const version of ['v1.0.0', 'v1.1.0', 'v2.0.0-rc.1']) versions[version] = await s.pushVersion(version);
  // a version whose api answers its health path with 500 (sandbox.ecs.behaviour=unhealthy)
  versions['v2.1.0-rc.1'] = await s.pushVersion('v2.1.0-rc.1', { api: 'unhealthy' });
  // and one whose api exits at once (sandbox.ecs.behaviour=crash): nothing listens
  versions['v2.2.0-rc.1'] = await s.pushVersion('v2.2.0-rc.1', { api: 'crash' });
  await stopComposeProject(DEV_PROJECT);
}, 900_000);

afterAll(async () => {
  await stopComposeProject(DEV_PROJECT);
  await s?.destroy();
});

describe('deploy-form.yml to dev: Docker Compose on the self-hosted dev host', () => {
  const devStep = (run: RunRecord) =>
    run.jobs.find((j) => j.id === 'dev')!.steps.find((step) => step.name.includes('deploy-compose'))!;

  /** Dispatches a dev deploy that must fail; returns the deploy-compose step's error. */
  async function failedDevDeploy(version: string, vars: Record<string, string> = {}): Promise<string | undefined> {
    const run = await dispatchForm('dev', version, {}, { DEV_HEALTH_URL: devHealthUrl(), ...vars });
    expect(results(run)).toEqual({ dev: 'failure', test: 'skipped', production: 'skipped' });
    return devStep(run).error;
  }

  it('deploys a built version: the env file pinned, compose running that version, healthy', async () => {
    const run = await deploy('dev', 'v1.1.0');
    expect(results(run)).toEqual({ dev: 'success', test: 'skipped', production: 'skipped' });
    expect(run.jobs.find((j) => j.id === 'dev')!.environment).toBe('dev');
    expect(devStep(run).outputs).toEqual({ 'previous-version': '', healthy: 'true' });
    // polled, not skipped (an empty health-url also reports healthy)
    expect(run.log).toContainEqual(expect.stringMatching(new RegExp(`${devHealthUrl()} is healthy after \\d+ check`)));
    const project = readProjectRecord(DEV_PROJECT)!;
    expect(readFileSync(project.environmentFile, 'utf8')).toMatch(/^IMAGE_TAG=v1\.1\.0$/m);
    expectDevRunning('v1.1.0');
    const response = await fetch(devHealthUrl());
    expect(response.status).toBe(200);
    expect(response.headers.get('x-sandbox-image')).toBe(`${s.namespace}/api:v1.1.0@${versions['v1.1.0']!.api}`);
  });

  it('deploying another version replaces the running containers', async () => {
    const before = devContainers();
    await deploy('dev', 'v1.0.0');
    expectDevRunning('v1.0.0');
    for (const service of SERVICES) expect(devContainers()[service]!.pid).not.toBe(before[service]!.pid);
    expect((await fetch(devHealthUrl())).headers.get('x-sandbox-image')).toContain(versions['v1.0.0']!.api);
  });

  it('a version missing from the registry fails on compose pull and switches nothing', async () => {
    const before = devContainers();
    expect(await failedDevDeploy('v9.9.9')).toMatch(
      /docker compose pull failed: .*manifest for [^ ]+\/api:v9\.9\.9 not found: manifest unknown/,
    );
    expect(devContainers()).toEqual(before);
    expectDevRunning('v1.0.0');
  });

  it('an unhealthy version fails on the health timeout, DEV_HEALTH_TIMEOUT seconds', async () => {
    expect(await failedDevDeploy('v2.1.0-rc.1', { DEV_HEALTH_TIMEOUT: '5' })).toBe(
      `deploy-compose failed: ${devHealthUrl()} did not become healthy within 5 s (last: HTTP 500)`,
    );
    // compose did start it (deploy-compose does not roll back): the health URL answers the new version's 500
    expectDevRunning('v2.1.0-rc.1');
    expect((await fetch(devHealthUrl())).status).toBe(500);
  });

  it('a version whose api crashes fails on the health timeout with nothing listening', async () => {
    expect(await failedDevDeploy('v2.2.0-rc.1', { DEV_HEALTH_TIMEOUT: '5' })).toBe(
      `deploy-compose failed: ${devHealthUrl()} did not become healthy within 5 s (last: ECONNREFUSED)`,
    );
    // `up --detach` started it (compose does not wait for a container to stay up); its process has exited
    expect(devContainers().api).toMatchObject({ digest: versions['v2.2.0-rc.1']!.api, running: false });
    expect(devContainers().worker).toMatchObject({ digest: versions['v2.2.0-rc.1']!.worker, running: true });
  });
});

describe('deploy-form.yml through the workflow runner', () => {
  it('deploys an older version to test in the test environment, with the release-candidate role', async () => {
    const run = await deploy('test', 'v1.0.0');
    expect(results(run)).toEqual({ dev: 'skipped', test: 'success', production: 'skipped' });
    expect(run.jobs.find((j) => j.id === 'test')!.environment).toBe('test');
    await expectRunning('test', 'v1.0.0');
    expect(listRoleAssumptions().at(-1)).toMatchObject({
      roleArn: sandboxRoleArn('release-candidate'),
      sub: `repo:${s.owner}/${s.name}:environment:test`,
      allowed: true,
    });
    // production untouched
    for (const service of SERVICES) expect(await s.digestOf(service, 'prod')).toBe(s.initial[`${service}:prod`]);
  });

  it('deploys to prod after approval, and rolls back by choosing the previous version again', async () => {
    await deploy('prod', 'v1.1.0', { production: 'approve' });
    await expectRunning('prod', 'v1.1.0');
    await deploy('prod', 'v1.0.0', { production: 'approve' });
    await expectRunning('prod', 'v1.0.0');
    expect(listRoleAssumptions().at(-1)).toMatchObject({ roleArn: sandboxRoleArn('production'), allowed: true });
  });

  it('a rejected prod deploy moves nothing', async () => {
    const world = await s.world({ environments: { production: 'reject' } });
    const handle = world.queue(FORM, dispatch('prod', 'v1.1.0'));
    await world.settle();
    expect(results(await handle.result)).toEqual({ dev: 'skipped', test: 'skipped', production: 'failure' });
    await expectRunning('prod', 'v1.0.0');
  });
});

describe('one queue for production across release.yml and deploy-form.yml', () => {
  it('queued together, production ends on the later promotion for every service', async () => {
    const lines: string[] = [];
    const world = await s.world({ environments: { production: 'approve' }, onLog: (line) => lines.push(line) });
    const release = world.queue(RELEASE, {
      name: 'push',
      payload: { ref: 'refs/tags/v2.0.0', after: s.repo.tags['v2.0.0'] },
    });
    await world.jobQueued(release, 'release');
    const form = world.queue(FORM, dispatch('prod', 'v1.1.0'));
    await world.jobQueued(form, 'production');
    const [releaseRun, formRun] = await world.settle();
    if (releaseRun!.conclusion !== 'success') throw new Error(`release: ${describeFailure(releaseRun!)}`);
    if (formRun!.conclusion !== 'success') throw new Error(`form: ${describeFailure(formRun!)}`);
    // one after the other: the form's production job started only after release.yml's production job ended
    const lastOfRelease = lines.findLastIndex((l) => l.startsWith('[release/'));
    const firstOfForm = lines.findIndex((l) => l.startsWith('[production/'));
    expect(firstOfForm).toBeGreaterThan(lastOfRelease);
    await expectRunning('prod', 'v1.1.0');
    for (const service of SERVICES) expect(await s.digestOf(service, 'v2.0.0')).toBe(versions['v2.0.0-rc.1']![service]);
  });
});
