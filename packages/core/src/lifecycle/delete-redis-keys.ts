import { Redis } from 'ioredis';
import { createEnvironmentName, isEnvironmentRedisKey } from '../preview/naming.js';

/** Options for {@link deleteRedisKeys}. */
export interface DeleteRedisKeysOptions {
  /** Keys asked for per SCAN and removed per UNLINK; default 500. */
  batchSize?: number;
  /** SCAN calls at most, so a huge keyspace cannot hold the run forever; default 10,000. */
  maxScans?: number;
  /** The environment file's name-prefix: only keys of `{prefix}-pr-{N}` go; default none. */
  namePrefix?: string;
}

/**
 * Removes a preview's Redis keys, the namespace its containers got as REDIS_PREFIX: `pr-{N}` (or
 * `{prefix}-pr-{N}`) itself and every key starting so and followed by a non-digit (so `pr-12:` goes and
 * `pr-123:` and `shop-pr-12:` stay), found with SCAN and removed with UNLINK in batches, never KEYS.
 * Returns how many keys were removed.
 */
export async function deleteRedisKeys(redis: Redis, pr: number, options: DeleteRedisKeysOptions = {}): Promise<number> {
  const batchSize = options.batchSize ?? 500;
  const namespace = createEnvironmentName(pr, options.namePrefix);
  let cursor = '0';
  let removed = 0;
  for (let scans = 0; scans < (options.maxScans ?? 10_000); scans++) {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${namespace}*`, 'COUNT', batchSize);
    const doomed = keys.filter((key) => isEnvironmentRedisKey(key, pr, options.namePrefix));
    for (let i = 0; i < doomed.length; i += batchSize) removed += await redis.unlink(...doomed.slice(i, i + batchSize));
    cursor = next;
    if (cursor === '0') return removed;
  }
  throw new Error(
    `Stopped scanning Redis for ${namespace} keys after ${options.maxScans ?? 10_000} SCAN calls; run the cleanup again`,
  );
}

/**
 * Connects to Redis for a cleanup: no offline queue and bounded retries, so an unreachable server
 * fails the step in seconds instead of hanging the run. The URL may carry a password: mask it first.
 */
export function createRedisClient(url: string): Redis {
  return new Redis(url, {
    lazyConnect: true,
    connectTimeout: 5_000,
    commandTimeout: 10_000,
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
    retryStrategy: (times) => (times > 3 ? null : times * 200),
  });
}
