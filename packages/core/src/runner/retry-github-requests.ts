import type { Octokit } from '../action/context.js';

/** How long a rate-limited request may wait for GitHub's retry-after before it fails instead. */
const MAX_RATE_LIMIT_WAIT_SECONDS = 60;
const RATE_LIMIT_RETRIES = 2;

type RetryableError = Error & {
  status?: number;
  response?: { headers?: Record<string, string | number | undefined> };
  request?: { method?: string; url?: string; request?: Record<string, unknown> };
};

/**
 * An Octokit plugin that works with @octokit/plugin-retry (which must come after it): a REST POST is never
 * retried, since one whose answer was lost may have created a comment, reply or check run already; and a
 * secondary or primary rate limit (403/429 with retry-after or an exhausted quota) is retried after the wait
 * GitHub asks for, when that is at most a minute. Everything else is plugin-retry's: 5xx, 429 and resets on
 * reads and idempotent writes.
 */
export function retryGitHubRequests(octokit: Octokit): void {
  octokit.hook.before('request', (options) => {
    if (options.method === 'POST' && options.url !== '/graphql') {
      options.request = { ...options.request, retries: 0 } as typeof options.request;
    }
  });
  octokit.hook.error('request', (thrown: Error) => {
    const error = thrown as RetryableError;
    const wait = readRateLimitWait(error);
    if (wait !== undefined && wait <= MAX_RATE_LIMIT_WAIT_SECONDS && error.request) {
      const retryCount = Number(error.request.request?.retryCount ?? 0);
      if (retryCount < RATE_LIMIT_RETRIES) {
        // The shape plugin-retry's own retryRequest gives an error it wants retried after `retryAfter` seconds.
        error.request.request = { ...error.request.request, retries: RATE_LIMIT_RETRIES, retryAfter: wait };
      }
    }
    throw error;
  });
}

/** Seconds GitHub asks us to wait, for a rate-limit answer; undefined for any other error. */
function readRateLimitWait(error: RetryableError): number | undefined {
  if (error.status !== 403 && error.status !== 429) return undefined;
  const headers = error.response?.headers ?? {};
  const retryAfter = Number(headers['retry-after'] ?? Number.NaN);
  // plugin-retry waits whole seconds; a fractional retry-after must not round down to no wait at all.
  if (Number.isFinite(retryAfter) && retryAfter >= 0) return Math.ceil(retryAfter);
  if (headers['x-ratelimit-remaining'] === '0' && headers['x-ratelimit-reset']) {
    return Math.max(0, Number(headers['x-ratelimit-reset']) - Math.floor(Date.now() / 1000));
  }
  if (/secondary rate limit/i.test(error.message)) return 60;
  return undefined;
}
