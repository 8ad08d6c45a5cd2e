import { describe, expect, it } from '@jest/globals';
import { renderPullRequestPage } from '../../demo/render-pull-request-page.js';
import { createSamplePullRequest, SAMPLE } from '../../demo/sample-pull-request.js';

// marked-terminal's styles (chalk) and its tables (cli-table3's colors) decide when they load whether the output
// supports colour, and a CI log does not: this file loads them as a terminal would, after FORCE_COLOR. Jest gives
// each test file its own process.env, so no other file sees it.
process.env.FORCE_COLOR = '1';

const ESC = '\x1b';

describe('the PR page in a colour terminal', () => {
  it('is styled, with table headings bold rather than red', async () => {
    const { renderMarkdownForTerminal } = await import('../../demo/render-terminal.js');
    const text = renderMarkdownForTerminal(
      renderPullRequestPage(createSamplePullRequest(), SAMPLE.repo, SAMPLE.pr),
      true,
    );
    expect(text).toContain(ESC);
    expect(text).not.toContain(`${ESC}[31m`);
    expect(text).toContain(`${ESC}[1m Environment`);
  });
});
