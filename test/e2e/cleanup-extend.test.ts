import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Redis } from 'ioredis';
import { ConfigurationError } from '@preview-actions/core/action';
import { listOwnedTargetGroups } from '@preview-actions/core/alb';
import { listOwnedServices } from '@preview-actions/core/ecs';
import { discoverEnvironments, extendEnvironment, planSweep } from '@preview-actions/core/lifecycle';
import { OWNERSHIP_TAG_KEYS } from '@preview-actions/core/preview';
import { startCloudflareStandIn, type CloudflareStandIn } from '../standins/cloudflare/server.js';
import { startPrivateBackends, type PrivateBackends } from './cleanup-backends.js';
import { createCleanupStage, seedEnvironment, type CleanupStage } from './cleanup-fixtures.js';

jest.setTimeout(120_000);

const NOW = new Date('2026-03-10T12:00:00Z');
const HOUR = 3_600_000;

describe('extendEnvironment (/extend) against moto', () => {
  let backends: PrivateBackends;
  let cloudflare: CloudflareStandIn;
  let redis: Redis;
  let stage: CleanupStage;

  beforeAll(async () => {
    backends = await startPrivateBackends();
    cloudflare = await startCloudflareStandIn({ token: 'h8-extend', zoneName: 'example.com' });
    redis = new Redis(backends.redisUrl, { maxRetriesPerRequest: 2 });
    stage = await createCleanupStage(backends.aws, backends, `ext${Date.now().toString(36)}`);
    await seedEnvironment(
      { aws: backends.aws, vpcId: backends.vpcId, stage, cloudflare, redis },
      { pr: 5, deployedAt: new Date(NOW.getTime() - 100 * HOUR) },
    );
  });

  afterAll(async () => {
    redis?.disconnect();
    await cloudflare?.close();
    await backends?.close();
  });

  const request = (duration: string) => ({
    ecs: backends.aws.ecs,
    elbv2: backends.aws.elbv2,
    cluster: stage.cluster,
    listenerArn: stage.listenerArn,
    repo: stage.repo,
    pr: 5,
    duration,
    maxAheadMs: 72 * HOUR,
    now: NOW,
  });

  it('writes expires-at on every service, target group and rule, caps it, and the sweep then protects the environment', async () => {
    const first = await extendEnvironment(request('1d'));
    expect(first).toMatchObject({
      expiresAt: new Date(NOW.getTime() + 24 * HOUR),
      capped: false,
      realExpiry: false,
      tagged: 6,
    });
    const second = await extendEnvironment(request('3d'));
    expect(second).toMatchObject({
      expiresAt: new Date(NOW.getTime() + 72 * HOUR),
      capped: true,
      previousExpiresAt: first.expiresAt,
    });

    const services = await listOwnedServices(backends.aws.ecs, stage.cluster, { repo: stage.repo, pr: 5 });
    const groups = await listOwnedTargetGroups(backends.aws.elbv2, { repo: stage.repo, pr: 5 });
    expect(services.map((s) => s.tags[OWNERSHIP_TAG_KEYS.expiresAt])).toEqual([
      second.expiresAt.toISOString(),
      second.expiresAt.toISOString(),
    ]);
    expect(groups.map((g) => g.facts.expiresAt)).toEqual([second.expiresAt, second.expiresAt]);

    const { environments } = await discoverEnvironments(
      { ecs: backends.aws.ecs, elbv2: backends.aws.elbv2, logs: backends.aws.logs },
      stage,
    );
    const state = {
      known: true as const,
      number: 5,
      state: 'OPEN' as const,
      merged: false,
      updatedAt: new Date(NOW.getTime() - 100 * HOUR),
      labels: [],
      headSha: 'a'.repeat(40),
      isCrossRepository: false,
    };
    const policy = { maxIdleHours: 24, hibernateGraceHours: 48, keepLabel: 'preview:keep', useLogActivity: false };
    expect(planSweep([...environments.values()], new Map([[5, state]]), policy, NOW)).toEqual([
      { pr: 5, action: 'skip', reason: `extended until ${second.expiresAt.toISOString()}` },
    ]);
    expect(
      planSweep([...environments.values()], new Map([[5, state]]), policy, new Date(NOW.getTime() + 73 * HOUR))[0]
        ?.action,
    ).toBe('hibernate');
  });

  it('refuses a PR without an environment, saying to deploy first', async () => {
    await expect(extendEnvironment({ ...request('2h'), pr: 6 })).rejects.toThrow(
      new ConfigurationError('Pull request #6 has no preview environment to extend: comment /deploy first'),
    );
  });
});
