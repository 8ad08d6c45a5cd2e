import { describe, expect, it } from '@jest/globals';
import { renderPullRequestHtml } from '../../demo/render-pull-request-html.js';
import { renderPullRequestPage } from '../../demo/render-pull-request-page.js';
import { renderMarkdownForTerminal, shouldUseColour } from '../../demo/render-terminal.js';
import { createSamplePullRequest, SAMPLE } from '../../demo/sample-pull-request.js';

const ESC = '\x1b';
const markdown = renderPullRequestPage(createSamplePullRequest(), SAMPLE.repo, SAMPLE.pr);

describe('the PR page as markdown', () => {
  it('shows the sticky comment, the command with its reactions, the check run and the Deployment', () => {
    expect(markdown).toContain('# Add the login page #7');
    expect(markdown).toContain('### Preview environment `pr-7`: 🚀 Deployed');
    expect(markdown).toContain('### @octo-maintainer commented 2026-12-02 01:00:');
    expect(markdown).toContain('Reactions: 👀 eyes (@github-actions[bot]), 🚀 rocket (@github-actions[bot])');
    expect(markdown).toMatch(
      /\| \[preview-actions: command\]\(https:\/\/github\.com\/octo-org\/octo-repo\/actions\/runs\/12\) \| `[0-9a-f]{7}` \| completed \| success \| \/deploy accepted \|/,
    );
    expect(markdown).toMatch(
      /\| pr-7 \| `[0-9a-f]{7}` \| success \| in_progress → success \| \[https:\/\/pr-7\.example\.com\/\]\(https:\/\/pr-7\.example\.com\/\) \|/,
    );
  });

  it('throws naming the pull request when the stand-in has none', () => {
    expect(() => renderPullRequestPage(createSamplePullRequest(), SAMPLE.repo, 8)).toThrow(
      'the GitHub stand-in has no pull request octo-org/octo-repo#8',
    );
  });
});

describe('the PR page in a terminal', () => {
  it('without colour: plain text, no ANSI, no markdown escapes, markers or raw backticks', () => {
    const text = renderMarkdownForTerminal(markdown, false);
    expect(text).not.toContain(ESC);
    expect(text).not.toMatch(/\\[|_*`[\]]|&#\d+;|&[a-z]+;|<!--|<\/?details>|<\/?summary>/);
    expect(text).not.toContain('`');
    expect(text).toContain('Preview environment pr-7: 🚀 Deployed');
    expect(text).toContain('/deploy [sha]: deploy the head of this pull request');
    expect(text).toMatch(/│ Environment │ Commit +│ State +│ Statuses +│ URL +│/);
    expect(text).toContain('https://pr-7.example.com/');
  });

  it.each([
    [{ isTTY: true }, {}, true],
    [{ isTTY: false }, {}, false],
    [{}, {}, false],
    [{ isTTY: true }, { NO_COLOR: '1' }, false],
    [{ isTTY: true }, { NO_COLOR: '' }, true],
    [{ isTTY: false }, { FORCE_COLOR: '1' }, true],
    [{ isTTY: true }, { FORCE_COLOR: '0' }, true],
    [{ isTTY: false }, { FORCE_COLOR: '0' }, false],
    [{ isTTY: false }, { FORCE_COLOR: '1', NO_COLOR: '1' }, true],
  ])('colour for stream %j with %j: %s', (stream, env, expected) => {
    expect(shouldUseColour(stream, env)).toBe(expected);
  });
});

describe('the PR page as HTML', () => {
  const html = renderPullRequestHtml(markdown, 'octo-org/octo-repo#7');

  it('is a page of GitHub-flavoured markdown: tables, links, the command fold', () => {
    expect(html).toMatch(/^<!doctype html>/);
    expect(html.match(/<table>/g)).toHaveLength(3);
    expect(html).toContain('<th>Environment</th>');
    expect(html).toContain('<a href="https://pr-7.example.com/">https://pr-7.example.com/</a>');
    expect(html).toContain('<a href="https://pr-7.example.com/api/health">health</a>');
    expect(html).toContain('<details><summary>Commands</summary>');
    // each comment's header bar, and only those: the sticky comment's own heading stays a heading
    expect(html.match(/<h3 class="comment-header">@[^ ]+ commented /g)).toHaveLength(3);
    expect(html).toContain('<h3>Preview environment <code>pr-7</code>: 🚀 Deployed</h3>');
  });

  it('keeps the markers out and a hostile comment’s HTML inert, as GitHub does', () => {
    expect(html).not.toContain('preview-actions:run');
    expect(html).not.toMatch(/<script|<img/);
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
  });
});
