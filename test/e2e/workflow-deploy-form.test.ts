/**
 * deploy-form.yml run end to end by the workflow runner on the sandbox: a form deploy of an older version to test
 * (environment test, the release-candidate role) and to prod (approval in production, the production role), a
 * rollback by choosing the previous version again, and one queue for production across templates: release.yml's
 * production job and deploy-form's prod job queued together end on the later one for every service, never a mix.
 * `dev` (runs-on self-hosted, deploy-compose, Docker Compose) is covered only by its `if:` skip: the sandbox has
 * no Docker, and this suite does not fake it.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { ensureSandbox } from '../sandbox/ensure.js';
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

const dispatch = (environment: string, version: string) => ({
  name: 'workflow_dispatch',
  payload: { inputs: { environment, version }, ref: 'refs/heads/main' },
});

async function deploy(environment: string, version: string, environments: EnvironmentDecisions = {}) {
  const world = await s.world({ environments });
  const handle = world.queue(FORM, dispatch(environment, version));
  await world.settle();
  const run = await handle.result;
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

beforeAll(async () => {
  s = await createReleaseScenario(await ensureSandbox(), 'form', {
    commits: [{ message: 'release 2.0' }],
    tags: { 'v2.0.0-rc.1': 1, 'v2.0.0': 1 },
  });
  // versions released earlier: what the form chooses from (the RC of v2.0.0 is what release.yml promotes)
  for (const version of ['v1.0.0', 'v1.1.0', 'v2.0.0-rc.1']) versions[version] = await s.pushVersion(version);
}, 900_000);

afterAll(() => s?.destroy());

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
