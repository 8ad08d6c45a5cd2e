import type { ReleaseNotice } from './release-notice.js';

const COLOR = { success: 'Good', failure: 'Attention', 'rolled-back': 'Warning' } as const;
const ICON = { success: '✅', failure: '❌', 'rolled-back': '↩️' } as const;

/**
 * A Teams Workflows message: the `message` envelope with one Adaptive Card 1.4 attachment (a
 * heading TextBlock, the line, a FactSet, and an OpenUrl action to the run). Workflows accept
 * Adaptive Cards only; the old `{text}` and MessageCard payloads are refused.
 */
export function renderTeamsCard(notice: ReleaseNotice): object {
  const body: object[] = [
    {
      type: 'TextBlock',
      text: `${ICON[notice.outcome]} ${notice.title}`,
      weight: 'Bolder',
      size: 'Medium',
      color: COLOR[notice.outcome],
      wrap: true,
    },
    { type: 'TextBlock', text: notice.text, wrap: true },
  ];
  if (notice.facts.length > 0) {
    body.push({ type: 'FactSet', facts: notice.facts.map(([title, value]) => ({ title, value })) });
  }
  const content: Record<string, unknown> = {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.4',
    body,
  };
  if (notice.runUrl) content.actions = [{ type: 'Action.OpenUrl', title: 'View run', url: notice.runUrl }];
  return {
    type: 'message',
    attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content }],
  };
}
