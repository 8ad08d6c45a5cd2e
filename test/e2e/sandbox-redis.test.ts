import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { ensureSandbox } from '../sandbox/ensure.js';

let redis: Redis;

beforeAll(async () => {
  const sandbox = await ensureSandbox();
  redis = new Redis(sandbox.env.REDIS_URL!, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 5000 });
  await redis.connect();
}, 900_000);

afterAll(async () => {
  await redis.quit();
});

describe('sandbox redis', () => {
  it('answers PING through REDIS_URL', async () => {
    expect(await redis.ping()).toBe('PONG');
  });

  it('keeps nothing on disk (no save points, no append-only file)', async () => {
    expect(await redis.config('GET', 'save')).toEqual(['save', '']);
    expect(await redis.config('GET', 'appendonly')).toEqual(['appendonly', 'no']);
  });
});
