import fc from 'fast-check';
import { shortenText, truncateText } from './truncate-text.js';

const isWellFormed = (text: string) =>
  !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);

describe('truncateText', () => {
  it('leaves short text alone', () => {
    expect(truncateText('hello', 10)).toBe('hello');
  });

  it('stays within the limit, keeps a prefix, says how much it cut, and never splits a surrogate pair', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 400 }),
        fc.integer({ min: 90, max: 300 }),
        (text, limit) => {
          const result = truncateText(text, limit);
          expect(result.length).toBeLessThanOrEqual(limit);
          expect(isWellFormed(result)).toBe(true);
          if (text.length > limit) {
            const [kept = ''] = result.split('\n\n… truncated: ');
            expect(text.startsWith(kept)).toBe(true);
            expect(result).toContain(`truncated: ${text.length - kept.length} characters left out`);
          }
        },
      ),
    );
  });
});

describe('shortenText', () => {
  it('cuts with an ellipsis without splitting a surrogate pair', () => {
    expect(shortenText('abcdef', 4)).toBe('abc…');
    expect(shortenText('ab😀cd', 4)).toBe('ab…');
    expect(shortenText('abc', 4)).toBe('abc');
  });
});
