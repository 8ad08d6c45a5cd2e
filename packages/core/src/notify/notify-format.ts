import { ConfigurationError } from '../action/errors.js';

/** The payload shapes notify-webhook can send. */
export type NotifyFormat = 'teams' | 'slack' | 'json';

/** Hosts of Teams Workflows ("When a Teams webhook request is received") and legacy connector URLs. */
const TEAMS_HOST = /(^|\.)(logic\.azure\.com|powerplatform\.com|webhook\.office\.com)$/i;
const SLACK_HOST = /^hooks\.slack\.com$/i;

/**
 * Checks the webhook URL and chooses the payload format: `auto` picks Teams for Workflows and
 * Office hosts, Slack for hooks.slack.com, and the generic JSON for anything else. Runs before
 * any change, so a bad URL fails the step at once. Never puts the URL (a secret) in a message.
 * @throws ConfigurationError for a URL that is not http(s).
 */
export function resolveNotifyFormat(url: string, format: 'auto' | NotifyFormat): NotifyFormat {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigurationError("Input 'notify-webhook' is not a URL: give the full https:// webhook URL");
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new ConfigurationError("Input 'notify-webhook' must be an https:// URL");
  }
  if (format !== 'auto') return format;
  if (TEAMS_HOST.test(parsed.hostname)) return 'teams';
  if (SLACK_HOST.test(parsed.hostname)) return 'slack';
  return 'json';
}
