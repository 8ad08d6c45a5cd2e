import { describe, expect, it } from '@jest/globals';
import { createRecordingLogger } from '../testing/index.js';
import { resolveNotifyFormat } from './notify-format.js';
import { notifyWebhook } from './notify-webhook.js';
import type { ReleaseNotice } from './release-notice.js';
import { renderJsonNotice } from './render-json-notice.js';
import { renderSlackMessage } from './render-slack-message.js';
import { renderTeamsCard } from './render-teams-card.js';

const NOTICE: ReleaseNotice = {
  outcome: 'rolled-back',
  title: 'v1.2.3 → prod',
  text: 'ECS did not run the promoted images (api <timeout>); rolled back',
  facts: [
    ['api', 'sha256:aaa'],
    ['Cluster', 'services-prod'],
  ],
  runUrl: 'https://github.com/o/r/actions/runs/1',
};

/** Adaptive Card 1.x elements and actions we may send, with the fields each requires. */
const ELEMENTS: Record<string, (e: Record<string, unknown>) => boolean> = {
  TextBlock: (e) => typeof e.text === 'string',
  FactSet: (e) =>
    Array.isArray(e.facts) &&
    e.facts.every(
      (f: { title?: unknown; value?: unknown }) => typeof f.title === 'string' && typeof f.value === 'string',
    ),
};
const ACTIONS: Record<string, (a: Record<string, unknown>) => boolean> = {
  'Action.OpenUrl': (a) => typeof a.url === 'string' && /^https?:\/\//.test(a.url as string),
};
const COLORS = ['Default', 'Dark', 'Light', 'Accent', 'Good', 'Warning', 'Attention'];

/** The structural rules of an Adaptive Card 1.x as Teams Workflows take it; returns what is wrong. */
function adaptiveCardProblems(card: Record<string, unknown>): string[] {
  const problems: string[] = [];
  if (card.type !== 'AdaptiveCard') problems.push('type is not AdaptiveCard');
  if (typeof card.version !== 'string' || !/^1\.[0-6]$/.test(card.version)) problems.push('version is not 1.0-1.6');
  if (card.$schema !== 'http://adaptivecards.io/schemas/adaptive-card.json') problems.push('$schema is missing');
  if (!Array.isArray(card.body) || card.body.length === 0) problems.push('body is empty');
  for (const element of (card.body as Record<string, unknown>[]) ?? []) {
    const check = ELEMENTS[element.type as string];
    if (!check) problems.push(`unknown element ${String(element.type)}`);
    else if (!check(element)) problems.push(`${String(element.type)} lacks its required fields`);
    if (element.color !== undefined && !COLORS.includes(element.color as string)) problems.push('bad color');
  }
  for (const action of (card.actions as Record<string, unknown>[]) ?? []) {
    const check = ACTIONS[action.type as string];
    if (!check?.(action)) problems.push(`bad action ${String(action.type)}`);
  }
  return problems;
}

describe('notification payloads', () => {
  it('Teams: the Workflows message envelope around one valid Adaptive Card 1.x, no bare text', () => {
    const payload = renderTeamsCard(NOTICE) as {
      type: string;
      attachments: { contentType: string; content: Record<string, unknown> }[];
      text?: string;
    };
    expect(payload.type).toBe('message');
    expect(payload.text).toBeUndefined();
    expect(payload.attachments).toHaveLength(1);
    expect(payload.attachments[0]!.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(adaptiveCardProblems(payload.attachments[0]!.content)).toEqual([]);
    expect(JSON.stringify(payload)).toContain('services-prod');
  });

  it('the card check itself rejects what Teams would refuse', () => {
    expect(adaptiveCardProblems({ type: 'MessageCard', body: [{ type: 'Markdown' }] })).toEqual([
      'type is not AdaptiveCard',
      'version is not 1.0-1.6',
      '$schema is missing',
      'unknown element Markdown',
    ]);
  });

  it('Slack: text plus header, section, fields and context blocks, with mrkdwn control characters escaped', () => {
    const payload = renderSlackMessage(NOTICE) as { text: string; blocks: { type: string; fields?: unknown[] }[] };
    expect(payload.text).toBe(
      ':leftwards_arrow_with_hook: v1.2.3 → prod: ECS did not run the promoted images (api &lt;timeout&gt;); rolled back',
    );
    expect(payload.blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'context']);
    expect(payload.blocks[2]!.fields).toHaveLength(2);
  });

  it('JSON: the documented generic schema', () => {
    expect(renderJsonNotice(NOTICE)).toEqual({
      source: 'preview-actions',
      version: 1,
      outcome: 'rolled-back',
      title: 'v1.2.3 → prod',
      text: NOTICE.text,
      facts: { api: 'sha256:aaa', Cluster: 'services-prod' },
      runUrl: NOTICE.runUrl,
    });
  });
});

describe('resolveNotifyFormat', () => {
  it.each([
    ['https://prod-01.westus.logic.azure.com/workflows/x/triggers/manual/paths/invoke?sig=s', 'teams'],
    ['https://default1.environment.api.powerplatform.com/powerautomate/automations/direct/x', 'teams'],
    ['https://hooks.slack.com/services/T/B/x', 'slack'],
    ['https://example.com/hook', 'json'],
  ])('auto picks the format of %s', (url, format) => {
    expect(resolveNotifyFormat(url, 'auto')).toBe(format);
  });

  it('an explicit format wins; a bad URL fails without echoing it', () => {
    expect(resolveNotifyFormat('https://hooks.slack.com/x', 'json')).toBe('json');
    expect(() => resolveNotifyFormat('hooks.slack.com/secret-token', 'auto')).toThrow(
      "Input 'notify-webhook' is not a URL: give the full https:// webhook URL",
    );
    expect(() => resolveNotifyFormat('ftp://x/secret-token', 'auto')).toThrow(/must be an https:\/\/ URL$/);
  });
});

describe('notifyWebhook', () => {
  it('posts the chosen format as JSON', async () => {
    const sent: { url: string; body: string }[] = [];
    const fake = (async (url: string, init: { body: string }) => {
      sent.push({ url, body: init.body });
      return new Response('', { status: 202 });
    }) as unknown as typeof fetch;
    expect(await notifyWebhook('https://hooks.slack.com/s', 'slack', NOTICE, createRecordingLogger(), fake)).toBe(true);
    expect(JSON.parse(sent[0]!.body)).toEqual(renderSlackMessage(NOTICE));
  });

  it('only warns, without the URL, when the webhook fails or cannot be reached', async () => {
    const log = createRecordingLogger();
    const refused = (async () => new Response('', { status: 400 })) as unknown as typeof fetch;
    const down = (async () => {
      throw new TypeError('fetch failed');
    }) as unknown as typeof fetch;
    expect(await notifyWebhook('https://x.test/secret-token', 'json', NOTICE, log, refused)).toBe(false);
    expect(await notifyWebhook('https://x.test/secret-token', 'json', NOTICE, log, down)).toBe(false);
    expect(log.lines).toEqual([
      'warning The notify-webhook answered 400; the release itself is unaffected',
      'warning The notify-webhook could not be reached (TypeError); the release itself is unaffected',
    ]);
  });
});
