import type { Logger } from '../action/logger.js';

/**
 * Posts a one-message JSON payload that Slack incoming webhooks and Teams workflow webhooks
 * both accept (`text`). A failing webhook only warns: the release itself already happened.
 * The URL is a secret (it embeds a token), so it never appears in a log line.
 */
export async function notifyWebhook(
  url: string,
  text: string,
  log: Logger,
  fetchImpl: typeof fetch = fetch,
  timeoutMs = 10_000,
): Promise<boolean> {
  try {
    const response = await fetchImpl(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) {
      log.warning(`The notify-webhook answered ${response.status}; the release itself is unaffected`);
      return false;
    }
    return true;
  } catch (error) {
    const reason = error instanceof Error ? error.name : 'error';
    log.warning(`The notify-webhook could not be reached (${reason}); the release itself is unaffected`);
    return false;
  }
}
