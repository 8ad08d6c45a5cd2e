/**
 * The demo's PR page as a browser shows it: the sample pull request's page (sticky comment, command, reactions,
 * check run, Deployment) rendered to HTML and loaded in headless Chromium (Debian's chromium package, installed
 * here when missing). The DOM Chromium built must have the tables and links; a hostile comment's HTML must stay
 * text. Chromium failing to start fails the test with its stderr.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { renderPullRequestHtml } from '../demo/render-pull-request-html.js';
import { renderPullRequestPage } from '../demo/render-pull-request-page.js';
import { createSamplePullRequest, SAMPLE } from '../demo/sample-pull-request.js';
import { browserTestPackages, ensureDebianPackages } from '../sandbox/install.js';
import { dumpDomWithChromium } from './chromium-dom.js';

jest.setTimeout(900_000);

let dir: string;
let dom: string;

/** The text of every `<tag>` element in the DOM, tags inside stripped. */
function textsOf(tag: string): string[] {
  return [...dom.matchAll(new RegExp(`<${tag}\\b[^>]*>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) =>
    m[1]!.replace(/<[^>]+>/g, '').trim(),
  );
}

beforeAll(() => {
  ensureDebianPackages(browserTestPackages);
  dir = mkdtempSync(join(tmpdir(), 'demo-pr-page-'));
  const file = join(dir, `pr-${SAMPLE.pr}.html`);
  const markdown = renderPullRequestPage(createSamplePullRequest(), SAMPLE.repo, SAMPLE.pr);
  writeFileSync(file, renderPullRequestHtml(markdown, `${SAMPLE.repo}#${SAMPLE.pr}`));
  dom = dumpDomWithChromium(file);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the demo’s PR page in headless Chromium', () => {
  it('has the sticky comment’s, the checks’ and the Deployments’ tables with their headings', () => {
    expect(textsOf('table')).toHaveLength(3);
    const headings = textsOf('th');
    expect(headings).toEqual(
      expect.arrayContaining(['Service', 'URL', 'Health', 'Check', 'Conclusion', 'Environment', 'State', 'Statuses']),
    );
    expect(textsOf('h1')).toEqual([`Add the login page #${SAMPLE.pr}`]);
    expect(textsOf('h3')).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^@octo-maintainer commented /),
        `Preview environment pr-7: 🚀 Deployed`,
      ]),
    );
  });

  it('links the preview, its health check, the Deployment’s URL and the check run’s details', () => {
    const links = [...dom.matchAll(/<a href="([^"]+)">([^<]*)<\/a>/g)].map((m) => [m[1], m[2]]);
    expect(links).toEqual(
      expect.arrayContaining([
        [SAMPLE.apiUrl, SAMPLE.apiUrl],
        [`${SAMPLE.apiUrl}/health`, 'health'],
        [SAMPLE.url, SAMPLE.url],
        ['https://github.com/octo-org/octo-repo/actions/runs/12', 'preview-actions: command'],
      ]),
    );
  });

  it('folds the command list and keeps a hostile comment’s HTML as text', () => {
    expect(textsOf('summary')).toEqual(['Commands']);
    expect(dom).not.toMatch(/<script|<img/);
    expect(dom).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(dom).toContain('Reactions: 👀 eyes (@github-actions[bot]), 🚀 rocket (@github-actions[bot])');
  });
});
