/**
 * release.yml and the release composite run end to end by the workflow runner (test/runner) on the sandbox: an RC
 * tag builds both services once (buildah, as a runner without Docker would through RELEASE_BUILDER), tags version,
 * sha and :test with one digest and redeploys the test services; the final tag's plan names the RC, its commit and
 * digests; a rejected production approval moves nothing; an approved one promotes those digests and redeploys
 * production. GHCR is the sandbox's basic registry through the RELEASE_REGISTRY* variables; the clusters are
 * throwaway ones named through TEST_CLUSTER / PRODUCTION_CLUSTER, and the roles' policies name them.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { ensureSandbox } from '../sandbox/ensure.js';
import { clearIamDecisions, listIamDecisions } from '../runner/iam/iam-proxy.js';
import { sandboxRoleArn } from '../runner/iam/sandbox-roles.js';
import { listRoleAssumptions } from '../runner/standins/aws-actions-configure-aws-credentials.js';
import type { JobRecord, RunRecord } from '../runner/run-result.js';
import type { EnvironmentDecisions } from '../runner/run-state.js';
import { createReleaseScenario, describeFailure, SERVICES, type ReleaseScenario } from './release-scenario.js';

jest.setTimeout(600_000);

const RELEASE = '.github/workflow-templates/release.yml';
let s: ReleaseScenario;

const jobOf = (run: RunRecord, jobId: string): JobRecord => run.jobs.find((j) => j.id === jobId)!;

async function pushTag(tag: string, environments: EnvironmentDecisions, oidcSubjectForm?: 'immutable') {
  const world = await s.world({ environments, ...(oidcSubjectForm ? { oidcSubjectForm } : {}) });
  const handle = world.queue(RELEASE, { name: 'push', payload: { ref: `refs/tags/${tag}`, after: s.repo.tags[tag] } });
  await world.settle();
  return handle.result;
}

beforeAll(async () => {
  s = await createReleaseScenario(await ensureSandbox(), 'release', {
    commits: [{ message: 'feature for 1.0' }],
    tags: { 'v1.0.0-rc.1': 1, 'v1.0.0': 1 },
  });
}, 900_000);

afterAll(() => s?.destroy());

describe('release.yml through the workflow runner', () => {
  it('an RC tag (immutable OIDC subject) builds once, tags version, sha and :test alike, and redeploys test', async () => {
    clearIamDecisions();
    const run = await pushTag('v1.0.0-rc.1', {}, 'immutable');
    if (run.conclusion !== 'success') throw new Error(`RC release did not succeed: ${describeFailure(run)}`);
    expect(run.jobs.map((j) => [j.id, j.result])).toEqual([
      ['candidate', 'success'],
      ['plan', 'skipped'],
      ['release', 'skipped'],
    ]);
    expect(jobOf(run, 'candidate').environment).toBeUndefined();
    const sha7 = s.repo.tags['v1.0.0-rc.1']!.slice(0, 7);
    for (const service of SERVICES) {
      const version = await s.digestOf(service, 'v1.0.0-rc.1');
      expect(version).toMatch(/^sha256:/);
      expect(await s.digestOf(service, 'test')).toBe(version);
      expect(await s.digestOf(service, `sha-${sha7}`)).toBe(version);
      expect(version).not.toBe(s.initial[`${service}:test`]);
      expect(await s.runningDigest('test', service)).toBe(version);
      // production untouched
      expect(await s.digestOf(service, 'prod')).toBe(s.initial[`${service}:prod`]);
      expect(await s.runningDigest('prod', service)).toBe(s.initial[`${service}:prod`]);
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
    const run = await pushTag('v1.0.0', { production: 'reject' });
    const plan = jobOf(run, 'plan');
    expect(plan.result).toBe('success');
    const rc = { api: await s.digestOf('api', 'v1.0.0-rc.1'), worker: await s.digestOf('worker', 'v1.0.0-rc.1') };
    expect(JSON.parse(plan.outputs.digests!)).toEqual(rc);
    expect(plan.outputs['latest-rc']).toBe('v1.0.0-rc.1');
    expect(plan.outputs['latest-rc-sha']).toBe(s.repo.tags['v1.0.0']);
    expect(plan.summary).toContain('Promotes release candidate `v1.0.0-rc.1`');
    expect(plan.summary).toContain(`commit \`${s.repo.tags['v1.0.0']}\``);
    expect(plan.summary).toContain(`| api | \`${rc.api}\` |`);
    expect(plan.summary).toContain(`| worker | \`${rc.worker}\` |`);
    expect(jobOf(run, 'release')).toMatchObject({ result: 'failure', steps: [] });
    for (const service of SERVICES) {
      expect(await s.digestOf(service, 'prod')).toBe(s.initial[`${service}:prod`]);
      expect(await s.digestOf(service, 'v1.0.0')).toBeUndefined();
      expect(await s.runningDigest('prod', service)).toBe(s.initial[`${service}:prod`]);
    }
  });

  it('a final tag approved in production promotes the planned digests and redeploys production', async () => {
    clearIamDecisions();
    const run = await pushTag('v1.0.0', { production: 'approve' });
    if (run.conclusion !== 'success') throw new Error(`final release did not succeed: ${describeFailure(run)}`);
    expect(jobOf(run, 'release')).toMatchObject({ result: 'success', environment: 'production' });
    for (const service of SERVICES) {
      const rc = await s.digestOf(service, 'v1.0.0-rc.1');
      expect(await s.digestOf(service, 'v1.0.0')).toBe(rc);
      expect(await s.digestOf(service, 'prod')).toBe(rc);
      expect(await s.runningDigest('prod', service)).toBe(rc);
    }
    expect(listRoleAssumptions().at(-1)).toMatchObject({
      roleArn: sandboxRoleArn('production'),
      sub: `repo:${s.owner}/${s.name}:environment:production`,
      allowed: true,
    });
    expect(listIamDecisions().filter((d) => !d.allowed)).toEqual([]);
  });
});
