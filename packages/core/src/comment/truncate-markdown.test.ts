import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { truncateMarkdown } from './truncate-markdown.js';

describe('truncateMarkdown', () => {
  it('returns text within the limit unchanged', () => {
    expect(truncateMarkdown('short', 10)).toBe('short');
  });

  it('closes a code fence the cut leaves open, so the note is not code', () => {
    const text = `intro\n\`\`\`\n${'x'.repeat(500)}\n\`\`\`\nafter`;
    const cut = truncateMarkdown(text, 300);
    expect(cut.length).toBeLessThanOrEqual(300);
    expect(cut).toMatch(/\n```\n\n… truncated: \d+ characters left out; see the job summary for the rest\.$/);
  });

  it('closes an HTML comment the cut leaves open, so the note stays visible', () => {
    const cut = truncateMarkdown(`a <!-- ${'x'.repeat(500)} -->`, 200);
    expect(cut).toMatch(/ -->\n\n… truncated/);
  });

  it('never exceeds the limit nor splits a surrogate pair', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 600 }),
        fc.integer({ min: 150, max: 400 }),
        (text, limit) => {
          const cut = truncateMarkdown(text, limit);
          expect(cut.length).toBeLessThanOrEqual(Math.max(limit, text.length <= limit ? text.length : 0));
          expect(cut).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
        },
      ),
    );
  });

  it("cuts a 64 KB body to GitHub's limit by default", () => {
    expect(truncateMarkdown('y'.repeat(70_000)).length).toBeLessThanOrEqual(65_536);
  });
});
