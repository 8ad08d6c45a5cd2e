import { compareRuns, formatStickyBody, parseStickyBody } from './sticky-marker.js';

describe('sticky markers', () => {
  it('round-trips header, run and content', () => {
    const body = formatStickyBody('preview', { runId: '123', runAttempt: '2' }, 'line 1\nline 2');
    expect(parseStickyBody('preview', body)).toEqual({
      header: 'preview',
      run: { runId: '123', runAttempt: '2' },
      content: 'line 1\nline 2',
    });
  });

  it('matches the header exactly and only on the first line', () => {
    const body = formatStickyBody('preview', { runId: '1', runAttempt: '1' }, 'x');
    expect(parseStickyBody('preview-2', body)).toBeUndefined();
    expect(parseStickyBody('preview', `hello\n${body}`)).toBeUndefined();
  });

  it('reads the run stamp only from the second line', () => {
    const body = '<!-- preview-actions:preview -->\nintro\n<!-- preview-actions:run 999/1 -->';
    expect(parseStickyBody('preview', body)).toEqual({
      header: 'preview',
      run: undefined,
      content: 'intro\n<!-- preview-actions:run 999/1 -->',
    });
  });

  it('orders runs by id then attempt, numerically', () => {
    expect(compareRuns({ runId: '9', runAttempt: '5' }, { runId: '10', runAttempt: '1' })).toBe(-1);
    expect(compareRuns({ runId: '10', runAttempt: '2' }, { runId: '10', runAttempt: '1' })).toBe(1);
    expect(
      compareRuns(
        { runId: '12345678901234567890', runAttempt: '1' },
        { runId: '12345678901234567890', runAttempt: '1' },
      ),
    ).toBe(0);
  });
});
