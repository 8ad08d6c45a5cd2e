import Cloudflare from 'cloudflare';

/**
 * The Cloudflare SDK client, honouring CLOUDFLARE_BASE_URL (the sandbox stand-in) and retrying
 * 429/5xx itself. The token is a secret: callers mask it before building the client.
 */
export function createCloudflareClient(apiToken: string, env: Readonly<NodeJS.ProcessEnv>): Cloudflare {
  return new Cloudflare({
    apiToken,
    maxRetries: 4,
    ...(env.CLOUDFLARE_BASE_URL ? { baseURL: env.CLOUDFLARE_BASE_URL } : {}),
  });
}
