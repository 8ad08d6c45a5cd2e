import type { Logger } from '../action/logger.js';
import type { NotifyFormat } from './notify-format.js';
import type { ReleaseNotice } from './release-notice.js';
import { renderJsonNotice } from './render-json-notice.js';
import { renderSlackMessage } from './render-slack-message.js';
import { renderTeamsCard } from './render-teams-card.js';

const RENDER: Record<NotifyFormat, (notice: ReleaseNotice) => object> = {
  teams: renderTeamsCard,
  slack: renderSlackMessage,
  json: renderJsonNotice,
};

/**
 * Posts the notice to the webhook in its format (see {@link resolveNotifyFormat}). A failing
 * webhook only warns: the release itself already happened. The URL is a secret (it embeds a
 * token), so it never appears in a log line.
 */
export async function notifyWebhook(
  url: string,
  format: NotifyFormat,
  notice: ReleaseNotice,
  log: Logger,
  fetchImpl: typeof fetch = fetch,
  timeoutMs = 10_000,
): Promise<boolean> {
  try {
    const response = await fetchImpl(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(RENDER[format](notice)),
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
