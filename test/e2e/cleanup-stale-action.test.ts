import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Redis } from 'ioredis';
import { listOwnedServices } from '@preview-actions/core/ecs';
import type { ActionRun } from '../harness/index.js';
import { startCloudflareStandIn, type CloudflareStandIn } from '../standins/cloudflare/server.js';
import { startGitHubStandIn, type GitHubStandIn } from '../standins/github/server.js';
import { startPrivateBackends, type PrivateBackends } from './cleanup-backends.js';
import {
  createCleanupStage,
  runCleanupStale,
  seedEnvironment,
  seedPullRequests,
  type CleanupStage,
} from './cleanup-fixtures.js';

jest.setTimeout(240_000);

describe('cleanup-stale (bundled, as the runner runs it)', () => {
  let backends: PrivateBackends;
  let github: GitHubStandIn;
  let cloudflare: CloudflareStandIn;
  let redis: Redis;
  let stage: CleanupStage;
  let closed: number[];
  let active: number;

  beforeAll(async () => {
    backends = await startPrivateBackends();
    github = await startGitHubStandIn({ validateResponses: true, repositories: [] });
    cloudflare = await startCloudflareStandIn({ token: 'h8-action-cf', zoneName: 'example.com' });
    redis = new Redis(backends.redisUrl, { maxRetriesPerRequest: 2 });
    stage = await createCleanupStage(backends.aws, backends, `act${Date.now().toString(36)}`);
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
    redis?.disconnect();
    await github?.close();
    await cloudflare?.close();
    await backends?.close();
  });

  function cleanup(inputs: Record<string, string>): Promise<ActionRun> {
    return runCleanupStale(
      stage,
      {
        githubUrl: github.url,
        githubGraphqlUrl: github.graphqlUrl,
        cloudflareUrl: cloudflare.url,
        cloudflareZoneId: cloudflare.zoneId,
        cloudflareToken: 'h8-action-cf',
        awsUrl: backends.awsUrl,
        redisUrl: backends.redisUrl,
      },
      inputs,
    );
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
});
