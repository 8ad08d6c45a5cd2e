import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Redis } from 'ioredis';
import { listOwnedRules, listOwnedTargetGroups } from '@preview-actions/core/alb';
import { listOwnedServices } from '@preview-actions/core/ecs';
import type { ActionRun } from '../harness/index.js';
import type { CloudflareStandIn } from '../standins/cloudflare/server.js';
import type { GitHubStandIn } from '../standins/github/server.js';
import type { PrivateBackends } from './cleanup-backends.js';
import { startCleanupWorld, type CleanupWorld } from './cleanup-world.js';
import {
  createCleanupStage,
  runCleanupStale,
  seedEnvironment,
  seedPullRequests,
  type CleanupStage,
} from './cleanup-fixtures.js';

jest.setTimeout(240_000);

describe('cleanup-stale (bundled, as the runner runs it)', () => {
  let world: CleanupWorld;
  let backends: PrivateBackends;
  let github: GitHubStandIn;
  let cloudflare: CloudflareStandIn;
  let redis: Redis;
  let stage: CleanupStage;
  let closed: number[];
  let active: number;

  beforeAll(async () => {
    world = await startCleanupWorld('h8-action-cf');
    ({ backends, github, cloudflare, redis } = world);
    stage = await createCleanupStage(backends.aws, backends, `act${Date.now().toString(36)}`, { runTasks: true });
    const [owner = '', name = ''] = stage.repo.split('/');
    github.state.createRepository({ owner, name });
    const numbers = seedPullRequests(github, stage.repo, 70, [{ closed: true }, { merged: true }, {}]);
    closed = numbers.slice(0, 2);
    active = numbers[2] as number;
    for (const pr of numbers) {
      await seedEnvironment(
        { aws: backends.aws, vpcId: backends.vpcId, stage, cloudflare, redis },
        { pr, deployedAt: new Date() },
      );
    }
  });

  afterAll(async () => {
    await world?.close();
  });

  function cleanup(inputs: Record<string, string>): Promise<ActionRun> {
    return runCleanupStale(stage, world.endpoints, inputs);
  }

  const prsOf = (json: string | undefined) => (JSON.parse(json ?? '[]') as { pr: number }[]).map((e) => e.pr);
  const livePrs = async () =>
    [
      ...new Set(
        (await listOwnedServices(backends.aws.ecs, stage.cluster, { repo: stage.repo })).map((s) =>
          Number(s.tags['preview-actions:pr']),
        ),
      ),
    ].sort();

  it('prints the plan in a dry run and changes nothing, masking the tokens', async () => {
    const run = await cleanup({ 'dry-run': 'true' });
    expect(run.exitCode).toBe(0);
    expect(prsOf(run.outputs.deleted)).toEqual(closed);
    expect(prsOf(run.outputs.skipped)).toEqual([active]);
    expect(run.summary).toMatch(/cleanup plan \(dry run\)/i);
    expect(run.summary).toMatch(new RegExp(`#${closed[0]} \\| would delete`));
    expect(run.masks).toEqual(expect.arrayContaining(['h8-action-cf', backends.redisUrl]));
    expect(await livePrs()).toEqual([...closed, active].sort());
    expect(run.annotations.filter((a) => a.level === 'warning')).toEqual([]);
  });

  it('warns when given a Cloudflare token but no zone id or domain to find the records by', async () => {
    const run = await cleanup({ 'dry-run': 'true', 'cloudflare-zone-id': '' });
    expect(run.exitCode).toBe(0);
    expect(run.annotations.filter((a) => a.level === 'warning').map((a) => a.message)).toContain(
      "A Cloudflare token is set but neither 'cloudflare-zone-id' nor 'preview-domain': DNS records are not removed; set preview-domain to the environment file's domain (or cloudflare-zone-id)",
    );
  });

  it('aborts before any change when the plan exceeds max-deletions', async () => {
    const run = await cleanup({ 'max-deletions': '1' });
    expect(run.exitCode).toBe(1);
    expect(
      run.annotations
        .filter((a) => a.level === 'error')
        .map((a) => a.message)
        .join(),
    ).toMatch(/more than max-deletions \(1\)/);
    expect(await livePrs()).toEqual([...closed, active].sort());
  });

  it('tears down one PR on request, then sweeps the other closed one', async () => {
    const one = await cleanup({ 'pr-number': String(closed[0]) });
    expect(one.exitCode).toBe(0);
    expect(prsOf(one.outputs.deleted)).toEqual([closed[0]]);
    expect(await livePrs()).toEqual([closed[1], active].sort());
    const sweep = await cleanup({});
    expect(sweep.exitCode).toBe(0);
    expect(prsOf(sweep.outputs.deleted)).toEqual([closed[1]]);
    expect(await livePrs()).toEqual([active]);
    expect(await redis.keys(`pr-${closed[1]}*`)).toEqual([]);
  });

  /** The expires-at of every service, target group and rule of the active PR's environment. */
  async function readExpiries(): Promise<(string | undefined)[]> {
    const owner = { repo: stage.repo, pr: active };
    const [services, groups, rules] = await Promise.all([
      listOwnedServices(backends.aws.ecs, stage.cluster, owner),
      listOwnedTargetGroups(backends.aws.elbv2, owner),
      listOwnedRules(backends.aws.elbv2, stage.listenerArn, owner),
    ]);
    expect(services.length * groups.length * rules.length).toBeGreaterThan(0);
    return [
      ...services.map((s) => s.tags['preview-actions:expires-at']),
      ...[...groups, ...rules].map((r) => r.facts.expiresAt?.toISOString()),
    ];
  }

  const errorsOf = (run: ActionRun) =>
    run.annotations
      .filter((a) => a.level === 'error')
      .map((a) => a.message)
      .join('\n');

  it('refuses an extend without pr-number or with a bad duration before any change', async () => {
    const before = await readExpiries();
    expect(before.every((e) => e === undefined)).toBe(true);
    const alone = await cleanup({ extend: '2h' });
    expect(alone.exitCode).toBe(1);
    expect(errorsOf(alone)).toBe(
      "cleanup-stale failed: Input 'extend' needs 'pr-number': set the pull request whose preview to keep",
    );
    const bad = await cleanup({ 'pr-number': String(active), extend: '2w' });
    expect(bad.exitCode).toBe(1);
    expect(errorsOf(bad)).toMatch(
      /^cleanup-stale failed: Duration '2w' is not understood: write a whole number and m, h or d/,
    );
    expect(await readExpiries()).toEqual(before);
    expect(await livePrs()).toEqual([active]);
  });

  it('extends the active environment on every resource, capped by max-extend, and the sweep then skips it', async () => {
    const started = Date.now();
    const run = await cleanup({ 'pr-number': String(active), extend: '2h' });
    expect(run.exitCode).toBe(0);
    const expiresAt = run.outputs['expires-at'] ?? '';
    expect(Date.parse(expiresAt) - started).toBeGreaterThanOrEqual(2 * 3_600_000 - 1_000);
    expect(Date.parse(expiresAt) - Date.now()).toBeLessThanOrEqual(2 * 3_600_000);
    expect(run.summary).toContain(`#${active} stays out of the idle sweep until ${expiresAt}`);
    expect(run.outputs.deleted).toBe('[]');
    expect(new Set(await readExpiries())).toEqual(new Set([expiresAt]));

    const capped = await cleanup({ 'pr-number': String(active), extend: '30d', 'max-extend': '3d' });
    expect(capped.exitCode).toBe(0);
    const cappedAt = capped.outputs['expires-at'] ?? '';
    expect(Math.abs(Date.parse(cappedAt) - Date.now() - 3 * 86_400_000)).toBeLessThan(60_000);
    expect(capped.summary).toContain(`(was ${expiresAt}), capped by max-extend (3d)`);
    expect(new Set(await readExpiries())).toEqual(new Set([cappedAt]));

    const sweep = await cleanup({ 'dry-run': 'true' });
    expect(sweep.exitCode).toBe(0);
    expect(JSON.parse(sweep.outputs.skipped ?? '[]')).toEqual([{ pr: active, reason: `extended until ${cappedAt}` }]);
    expect(await livePrs()).toEqual([active]);
  });

  it('refuses a restart without pr-number, with extend or dry-run, or of a PR without an environment', async () => {
    const alone = await cleanup({ restart: 'true' });
    expect(errorsOf(alone)).toBe(
      "cleanup-stale failed: Input 'restart' needs 'pr-number': set the pull request whose preview to restart",
    );
    const both = await cleanup({ 'pr-number': String(active), restart: 'true', extend: '2h' });
    expect(errorsOf(both)).toBe("cleanup-stale failed: Inputs 'extend' and 'restart' are both set: keep one");
    const gone = await cleanup({ 'pr-number': String(closed[0]), restart: 'true' });
    expect(errorsOf(gone)).toBe(
      `cleanup-stale failed: Pull request #${closed[0]} has no preview environment to restart: comment /deploy first`,
    );
    const planned = await cleanup({ 'pr-number': String(active), restart: 'true', 'dry-run': 'true' });
    expect(errorsOf(planned)).toBe(
      "cleanup-stale failed: Input 'dry-run' plans a sweep or teardown only, but 'restart' is set: drop one of them",
    );
    expect([alone.exitCode, both.exitCode, gone.exitCode, planned.exitCode]).toEqual([1, 1, 1, 1]);
  });

  it('restarts the running services with a new deployment each and waits until they are stable', async () => {
    const owner = { repo: stage.repo, pr: active };
    const primaryIds = async () =>
      new Map(
        (await listOwnedServices(backends.aws.ecs, stage.cluster, owner)).map((s) => [
          s.name,
          s.service?.deployments?.find((d) => d.status === 'PRIMARY')?.id,
        ]),
      );
    const before = await primaryIds();
    const run = await cleanup({ 'pr-number': String(active), restart: 'true' });
    expect(run.exitCode).toBe(0);
    const restarted = JSON.parse(run.outputs.restarted ?? '[]') as { service: string; state: string }[];
    expect(restarted.map((r) => [r.service, r.state]).sort()).toEqual([
      [`pr-${active}-api`, 'stable'],
      [`pr-${active}-worker`, 'stable'],
    ]);
    const after = await primaryIds();
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [name, id] of after) expect(id).not.toBe(before.get(name));
    expect(run.summary).toContain(`Preview restart of #${active}`);
    expect(run.outputs.deleted).toBe('[]');
    expect(await livePrs()).toEqual([active]);
  });
});
