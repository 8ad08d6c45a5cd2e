import type { ReleaseNotice } from './release-notice.js';

const ICON = { success: ':white_check_mark:', failure: ':x:', 'rolled-back': ':leftwards_arrow_with_hook:' } as const;

/** Slack mrkdwn treats these three as control characters; everything else is literal. */
function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * A Slack incoming-webhook message: `text` (the notification and fallback line) and Block Kit
 * `blocks`: a header, the line, the facts as fields (at most ten, Slack's limit), and a link to
 * the run.
 */
export function renderSlackMessage(notice: ReleaseNotice): object {
  const title = `${ICON[notice.outcome]} ${escapeMrkdwn(notice.title)}`;
  const blocks: object[] = [
    { type: 'header', text: { type: 'plain_text', text: notice.title.slice(0, 150), emoji: true } },
    { type: 'section', text: { type: 'mrkdwn', text: `${title}\n${escapeMrkdwn(notice.text)}`.slice(0, 3000) } },
  ];
  if (notice.facts.length > 0) {
    blocks.push({
      type: 'section',
      fields: notice.facts.slice(0, 10).map(([name, value]) => ({
        type: 'mrkdwn',
        text: `*${escapeMrkdwn(name)}*\n${escapeMrkdwn(value)}`.slice(0, 2000),
      })),
    });
  }
  if (notice.runUrl) {
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `<${notice.runUrl}|View run>` }] });
  }
  return { text: `${title}: ${escapeMrkdwn(notice.text)}`, blocks };
}
