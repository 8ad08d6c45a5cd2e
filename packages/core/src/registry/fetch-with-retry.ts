import type { Clock } from '../action/clock.js';

/** How often and how long a registry request is retried. */
export interface RetryPolicy {
  /** Total attempts, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is cut to it, so a hostile header cannot stall the job. */
  maxRetryAfterMs: number;
  /** Per-attempt timeout. */
  timeoutMs: number;
}

/** Five attempts over roughly 10 s of backoff, or longer when the registry asks for it. */
export const defaultRetryPolicy: RetryPolicy = {
  attempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 8000,
  maxRetryAfterMs: 60000,
  timeoutMs: 30000,
};

const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);

/** Reads Retry-After as seconds or an HTTP date, relative to `now`. */
export function parseRetryAfter(value: string | null, now: Date): number | null {
  if (!value) return null;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}

/** What a retrying fetch needs besides the request. */
export interface RetryContext {
  fetch: typeof fetch;
  clock: Clock;
  policy: RetryPolicy;
  /** Called before each retry, e.g. to log or count. */
  onRetry?: (attempt: number, reason: string, delayMs: number) => void;
}

/**
 * Sends a request, retrying throttling (429), 408, 5xx and network errors with exponential
 * backoff that honours Retry-After. Returns the last response (which may still be an error
 * status); throws the last network error when every attempt failed to connect.
 * `init.body` must be replayable (a Buffer or string).
 */
export async function fetchWithRetry(url: string, init: RequestInit, context: RetryContext): Promise<Response> {
  const { policy, clock } = context;
  for (let attempt = 1; ; attempt++) {
    let response: Response | undefined;
    let failure: unknown;
    try {
      response = await context.fetch(url, { ...init, signal: AbortSignal.timeout(policy.timeoutMs) });
    } catch (error) {
      failure = error;
    }
    const retryable = response === undefined || RETRYABLE_STATUS.has(response.status);
    if (!retryable || attempt >= policy.attempts) {
      if (response) return response;
      throw failure;
    }
    const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
    const asked = response ? parseRetryAfter(response.headers.get('retry-after'), clock.now()) : null;
    const delay = asked === null ? backoff : Math.min(policy.maxRetryAfterMs, Math.max(asked, 0));
    const reason = response ? `HTTP ${response.status}` : describeNetworkError(failure);
    await response?.body?.cancel().catch(() => undefined);
    context.onRetry?.(attempt, reason, delay);
    await clock.sleep(delay);
  }
}

/** A short name for a fetch failure (undici hides the cause one level down). */
export function describeNetworkError(error: unknown): string {
  // Checked by shape: errors from fetch may come from another realm (bundlers, test VMs).
  const e = error as { name?: unknown; message?: unknown; cause?: { code?: unknown; message?: unknown } } | null;
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'timed out';
  const detail = e?.cause?.code ?? e?.cause?.message ?? e?.message;
  return typeof detail === 'string' ? detail : String(error);
}
