import type { Clock } from '../action/clock.js';

/**
 * Polls a health URL until it answers 2xx or the time runs out. Returns how it ended and the
 * last thing it saw, so a failure can say what the service answered.
 */
export async function waitForHealth(
  url: string,
  options: { clock: Clock; timeoutMs: number; intervalMs?: number; fetch?: typeof fetch },
): Promise<{ healthy: boolean; last: string; attempts: number }> {
  const request = options.fetch ?? fetch;
  const deadline = options.clock.now().getTime() + options.timeoutMs;
  let last: string;
  let attempts = 0;
  for (;;) {
    attempts++;
    try {
      const response = await request(url, { signal: AbortSignal.timeout(10_000) });
      last = `HTTP ${response.status}`;
      if (response.ok) return { healthy: true, last, attempts };
    } catch (error) {
      // fetch wraps the socket error in `cause`; its code (ECONNREFUSED, ...) says the most.
      const { message, cause } = error as { message?: string; cause?: { code?: string; message?: string } };
      last = cause?.code ?? cause?.message ?? message ?? String(error);
    }
    if (options.clock.now().getTime() >= deadline) return { healthy: false, last, attempts };
    await options.clock.sleep(options.intervalMs ?? 5_000);
  }
}
