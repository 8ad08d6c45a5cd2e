import type { ReleaseNotice } from './release-notice.js';

/**
 * The generic JSON notification (schema in actions/retag-promote/README.md):
 * `{ "source": "preview-actions", "version": 1, "outcome", "title", "text", "facts": {name: value}, "runUrl"? }`.
 */
export function renderJsonNotice(notice: ReleaseNotice): object {
  return {
    source: 'preview-actions',
    version: 1,
    outcome: notice.outcome,
    title: notice.title,
    text: notice.text,
    facts: Object.fromEntries(notice.facts),
    ...(notice.runUrl && { runUrl: notice.runUrl }),
  };
}
