import { Redis } from 'ioredis';

/** Options for {@link deleteRedisKeys}. */
export interface DeleteRedisKeysOptions {
  /** Keys asked for per SCAN and removed per UNLINK; default 500. */
  batchSize?: number;
  /** SCAN calls at most, so a huge keyspace cannot hold the run forever; default 10,000. */
  maxScans?: number;
}

/**
 * Removes a preview's Redis keys: `pr-{N}` itself and every key starting `pr-{N}` followed by a
 * non-digit (so `pr-12:` goes and `pr-123:` stays), found with SCAN and removed with UNLINK in
 * batches, never KEYS. Returns how many keys were removed.
 */
export async function deleteRedisKeys(redis: Redis, pr: number, options: DeleteRedisKeysOptions = {}): Promise<number> {
  const batchSize = options.batchSize ?? 500;
  const mine = new RegExp(`^pr-${pr}(?:\\D|$)`);
  let cursor = '0';
  let removed = 0;
  for (let scans = 0; scans < (options.maxScans ?? 10_000); scans++) {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `pr-${pr}*`, 'COUNT', batchSize);
    const doomed = keys.filter((key) => mine.test(key));
    for (let i = 0; i < doomed.length; i += batchSize) removed += await redis.unlink(...doomed.slice(i, i + batchSize));
    cursor = next;
    if (cursor === '0') return removed;
  }
  throw new Error(
    `Stopped scanning Redis for pr-${pr} keys after ${options.maxScans ?? 10_000} SCAN calls; run the cleanup again`,
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
