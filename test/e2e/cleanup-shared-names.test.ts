import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { CreateLogStreamCommand, DescribeLogStreamsCommand } from '@aws-sdk/client-cloudwatch-logs';
import type { Redis } from 'ioredis';
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

// Three repositories share one cluster, listener, log group and Redis, each with a PR 80: `plain` without a
// name-prefix (pr-80-…), `shop` with name-prefix shop (shop-pr-80-…), and `web` without a prefix whose only
// service is `web` (its log streams pr-80/web/…, in the same group). Tearing one down must leave the others'
// services, log streams and Redis keys exactly as they were.
describe('cleanup-stale keeps to its own names when repositories share a cluster, log group and Redis', () => {
  const PR = 80;
  let world: CleanupWorld;
  let backends: PrivateBackends;
  let github: GitHubStandIn;
  let cloudflare: CloudflareStandIn;
  let redis: Redis;
  let plain: CleanupStage;
  let shop: CleanupStage;
  let web: CleanupStage;

  beforeAll(async () => {
    world = await startCleanupWorld('h8-names-cf');
    ({ backends, github, cloudflare, redis } = world);
    plain = await createCleanupStage(backends.aws, backends, `nm${Date.now().toString(36)}`);
    shop = { ...plain, repo: `${plain.repo}-shop` };
    web = { ...plain, repo: `${plain.repo}-web` };
    for (const stage of [plain, shop, web]) {
      const [owner = '', name = ''] = stage.repo.split('/');
      github.state.createRepository({ owner, name });
      seedPullRequests(github, stage.repo, PR, [{ closed: true }]);
    }
    const deps = { aws: backends.aws, vpcId: backends.vpcId, cloudflare, redis };
    await seedEnvironment({ ...deps, stage: plain }, { pr: PR, deployedAt: new Date() });
    await seedEnvironment({ ...deps, stage: shop }, { pr: PR, deployedAt: new Date(), namePrefix: 'shop' });
    // `web` has a service of its own name; only its log stream lives in the shared group under pr-80/.
    await backends.aws.logs.send(
      new CreateLogStreamCommand({ logGroupName: plain.logGroup, logStreamName: `pr-${PR}/web/fedcba9876543210` }),
    );
  });

  afterAll(async () => {
    await world?.close();
  });

  function cleanup(stage: CleanupStage, inputs: Record<string, string>): Promise<ActionRun> {
    return runCleanupStale(stage, world.endpoints, {
      'pr-number': String(PR),
      ...inputs,
    });
  }

  async function streams(): Promise<string[]> {
    const out = await backends.aws.logs.send(new DescribeLogStreamsCommand({ logGroupName: plain.logGroup }));
    return (out.logStreams ?? []).map((s) => s.logStreamName ?? '').sort();
  }

  const services = async (stage: CleanupStage) =>
    (await listOwnedServices(backends.aws.ecs, stage.cluster, { repo: stage.repo })).map((s) => s.name).sort();

  const expectSuccess = (run: ActionRun) =>
    expect({ exitCode: run.exitCode, errors: run.annotations.filter((a) => a.level === 'error') }).toEqual({
      exitCode: 0,
      errors: [],
    });

  it('a prefixed teardown removes its own names only, and the unprefixed neighbour keeps its Redis keys', async () => {
    expectSuccess(await cleanup(shop, { 'name-prefix': 'shop' }));
    expect(await services(shop)).toEqual([]);
    expect((await streams()).filter((s) => s.startsWith('shop-'))).toEqual([]);
    expect(await redis.keys(`shop-pr-${PR}*`)).toEqual([]);
    expect(await services(plain)).toEqual([`pr-${PR}-api`, `pr-${PR}-worker`]);
    expect((await redis.keys(`pr-${PR}*`)).sort()).toEqual([`pr-${PR}-celery`, `pr-${PR}:cache:${plain.suffix}`]);
    expect(await streams()).toEqual([
      `pr-${PR}/api/0123456789abcdef`,
      `pr-${PR}/web/fedcba9876543210`,
      `pr-${PR}/worker/0123456789abcdef`,
    ]);
  });

  it("an unprefixed teardown removes its own services' log streams, not another repository's in the same group", async () => {
    expectSuccess(await cleanup(plain, {}));
    expect(await services(plain)).toEqual([]);
    expect(await redis.keys(`pr-${PR}*`)).toEqual([]);
    expect(await streams()).toEqual([`pr-${PR}/web/fedcba9876543210`]);
  });
});
