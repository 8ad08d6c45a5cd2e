import { Redis } from 'ioredis';
import { startCloudflareStandIn, type CloudflareStandIn } from '../standins/cloudflare/server.js';
import { startGitHubStandIn, type GitHubStandIn } from '../standins/github/server.js';
import { startPrivateBackends, type PrivateBackends } from './cleanup-backends.js';
import { readCleanupEndpoints, type CleanupEndpoints } from './cleanup-fixtures.js';

/** What a bundled cleanup-stale suite runs against: its own backends, stand-ins and a Redis client. */
export interface CleanupWorld {
  backends: PrivateBackends;
  github: GitHubStandIn;
  cloudflare: CloudflareStandIn;
  redis: Redis;
  /** The endpoints a bundled run is given, direct (no fault proxy). */
  endpoints: CleanupEndpoints;
  close(): Promise<void>;
}

/**
 * Starts private backends (moto, Redis), a GitHub stand-in with no repositories and a Cloudflare stand-in for
 * `example.com` that accepts `cloudflareToken`, as each bundled cleanup-stale suite needs them.
 */
export async function startCleanupWorld(cloudflareToken: string): Promise<CleanupWorld> {
  const backends = await startPrivateBackends();
  const github = await startGitHubStandIn({ validateResponses: true, repositories: [] });
  const cloudflare = await startCloudflareStandIn({ token: cloudflareToken, zoneName: 'example.com' });
  const redis = new Redis(backends.redisUrl, { maxRetriesPerRequest: 2 });
  return {
    backends,
    github,
    cloudflare,
    redis,
    endpoints: readCleanupEndpoints(backends, github, cloudflare, cloudflareToken),
    close: async () => {
      redis.disconnect();
      await github.close();
      await cloudflare.close();
      await backends.close();
    },
  };
}
