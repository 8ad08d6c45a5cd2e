/**
 * The bundled cleanup-stale, as the runner runs it, on the lifecycle rules of issue 13: an environment deployed
 * with ttl-hours whose expires-at has passed is hibernated although its PR is active, one without ttl-hours is
 * kept by its activity whatever its expires-at says, one whose expiry is near gets a warning comment, a PR GitHub
 * says does not exist is reported (output and summary) instead of skipped silently, and a Redis the runner cannot
 * reach leaves its keys with a warning but does not stop the teardown.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Redis } from 'ioredis';
import { listOwnedServices } from '@preview-actions/core/ecs';
import { LIFECYCLE_COMMENT_HEADER } from '@preview-actions/core/lifecycle';
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

const HOUR = 3_600_000;

describe('cleanup-stale (bundled): real expiry, idle rule, expiry warning, missing PRs, unreachable Redis', () => {
  let world: CleanupWorld;
  let backends: PrivateBackends;
  let github: GitHubStandIn;
  let cloudflare: CloudflareStandIn;
  let redis: Redis;
  let stage: CleanupStage;
  let expired: number;
  let idleRule: number;
  let expiringSoon: number;
  let missing: number;

  beforeAll(async () => {
    world = await startCleanupWorld('h8-expiry-cf');
    ({ backends, github, cloudflare, redis } = world);
    stage = await createCleanupStage(backends.aws, backends, `exp${Date.now().toString(36)}`);
    const [owner = '', name = ''] = stage.repo.split('/');
    github.state.createRepository({ owner, name });
    // Three open PRs, all just updated (active); a fourth environment's PR was never made (GitHub: NOT_FOUND).
    [expired, idleRule, expiringSoon] = seedPullRequests(github, stage.repo, 40, [{}, {}, {}]) as [
      number,
      number,
      number,
    ];
    missing = 60;
    const now = Date.now();
    const seed = { aws: backends.aws, vpcId: backends.vpcId, stage, cloudflare, redis };
    await seedEnvironment(seed, {
      pr: expired,
      deployedAt: new Date(now - 25 * HOUR),
      expiresAt: new Date(now - HOUR),
      ttlHours: 24,
    });
    await seedEnvironment(seed, {
      pr: idleRule,
      deployedAt: new Date(now - 25 * HOUR),
      expiresAt: new Date(now - HOUR),
    });
    await seedEnvironment(seed, {
      pr: expiringSoon,
      deployedAt: new Date(now - 23 * HOUR),
      expiresAt: new Date(now + HOUR),
      ttlHours: 24,
    });
    await seedEnvironment(seed, { pr: missing, deployedAt: new Date(now) });
  });

  afterAll(async () => {
    await world?.close();
  });

  function cleanup(inputs: Record<string, string>): Promise<ActionRun> {
    return runCleanupStale(stage, world.endpoints, inputs);
  }

  const desiredCounts = async () =>
    Object.fromEntries(
      (await listOwnedServices(backends.aws.ecs, stage.cluster, { repo: stage.repo })).map((s) => [
        s.name,
        s.service?.desiredCount,
      ]),
    );
  const lifecycleComment = (pr: number) =>
    github.state.data.comments
      .filter((c) => c.repo === stage.repo && c.issueNumber === pr && c.body.includes(LIFECYCLE_COMMENT_HEADER))
      .map((c) => c.body)
      .join('\n');

  it('hibernates the expired ttl environment of an active PR, keeps the idle-rule one, warns the one expiring soon and reports the missing PR', async () => {
    const run = await cleanup({ 'expiry-warning-hours': '2' });
    expect(run.annotations.filter((a) => a.level === 'error')).toEqual([]);
    expect(run.exitCode).toBe(0);
    const hibernated = JSON.parse(run.outputs.hibernated ?? '[]') as { pr: number; reason: string }[];
    expect(hibernated).toEqual([
      { pr: expired, reason: expect.stringMatching(/^expired at .* \(ttl-hours\)$/), deleteAfter: expect.any(String) },
    ]);
    const skipped = JSON.parse(run.outputs.skipped ?? '[]') as { pr: number; reason: string }[];
    expect(skipped).toEqual([
      { pr: idleRule, reason: expect.stringMatching(/^active \(last activity/) },
      { pr: expiringSoon, reason: expect.stringMatching(/^expires at .* \(ttl-hours\)$/) },
      { pr: missing, reason: expect.stringContaining(`GitHub says #${missing} does not exist`) },
    ]);
    expect(JSON.parse(run.outputs.missing ?? '[]')).toEqual([missing]);
    expect(run.outputs.deleted).toBe('[]');
    expect(run.summary).toContain('Pull requests GitHub says do not exist');
    expect(run.summary).toContain(`- #${missing}: tear it down with \`pr-number: ${missing}\``);
    expect(run.summary).toContain(`- #${expiringSoon}: expires`);
    expect(run.annotations.filter((a) => a.level === 'warning').map((a) => a.message)).toEqual(
      expect.arrayContaining([expect.stringContaining(`#${missing} does not exist`)]),
    );

    const counts = await desiredCounts();
    expect(counts[`pr-${expired}-api`]).toBe(0);
    expect(counts[`pr-${expired}-worker`]).toBe(0);
    expect(counts[`pr-${idleRule}-api`]).toBe(1);
    expect(counts[`pr-${expiringSoon}-api`]).toBe(1);
    expect(lifecycleComment(expired)).toContain('its expiry (');
    expect(lifecycleComment(expiringSoon)).toContain('This preview expires at');
    expect(lifecycleComment(idleRule)).toBe('');
  });

  it('tears an environment down past a Redis the runner cannot reach, warning what to do', async () => {
    const run = await cleanup({ 'pr-number': String(missing), 'redis-url': 'redis://127.0.0.1:1' });
    expect(run.annotations.filter((a) => a.level === 'error')).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.outputs.deleted ?? '[]')).toEqual([
      { pr: missing, reason: `teardown of #${missing} requested` },
    ]);
    expect(run.annotations.map((a) => a.message)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/Redis keys of #60 were left: Redis could not be reached.*self-hosted runner/),
      ]),
    );
    expect(Object.keys(await desiredCounts()).filter((n) => n.startsWith(`pr-${missing}-`))).toEqual([]);
    // The keys are still there: nothing pretended to remove them.
    expect(await redis.keys(`pr-${missing}:*`)).not.toEqual([]);
  });
});
