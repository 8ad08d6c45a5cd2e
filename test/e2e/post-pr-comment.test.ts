import { beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { runActionBundle, type ActionRun } from '../harness/index.js';
import { pullRequestEvent } from '../harness/events.js';
import { ensureSandbox } from '../sandbox/ensure.js';
import type { SandboxEndpoints } from '../sandbox/endpoints.js';
import { createGitHubAdminClient, type GitHubAdminClient } from '../standins/github/admin-client.js';

const suffix = randomBytes(3).toString('hex');
const owner = `h10-post-${suffix}`;
const repo = `${owner}/comments`;
const marker = '<!-- preview-actions:preview -->';

let sandbox: SandboxEndpoints;
let github: GitHubAdminClient;
let botLogin: string;

const deployed = {
  status: 'deployed',
  urls: '{"api":"https://pr.example.com/api","admin":"https://preview:hunter22@pr.example.com/admin"}',
  services: '[{"name":"api","health-path":"/health"},{"name":"admin"}]',
  'expires-at': '2030-01-01T12:00:00Z',
  'estimated-cost-per-day': '2.5',
  'logs-url': 'https://console.aws.amazon.com/cloudwatch/home',
};

async function openPullRequest(): Promise<number> {
  return (await github.call('createPullRequest', { repo, author: 'octocat' })).number;
}

function post(number: number, inputs: Record<string, string>, runId = '100', attempt = '1'): Promise<ActionRun> {
  return runActionBundle({
    action: 'post-pr-comment',
    repository: repo,
    event: pullRequestEvent('synchronize', {
      repository: repo,
      number,
      headRef: 'feat/<script>alert(1)</script>',
      title: '**Bold** <img src=x onerror=alert(1)> @everyone',
    }),
    inputs,
    token: sandbox.github.token,
    env: {
      GITHUB_API_URL: sandbox.github.apiUrl,
      GITHUB_GRAPHQL_URL: sandbox.github.graphqlUrl,
      GITHUB_RUN_ID: runId,
      GITHUB_RUN_ATTEMPT: attempt,
    },
  });
}

async function readComments(number: number) {
  const snapshot = await github.call('snapshot');
  return snapshot.comments.filter((c) => c.repo === repo && c.issueNumber === number);
}

beforeAll(async () => {
  sandbox = await ensureSandbox();
  github = createGitHubAdminClient(sandbox.github.adminUrl);
  await github.call('createRepository', { owner, name: 'comments' });
  const response = await fetch(`${sandbox.github.directApiUrl}/user`, {
    headers: { authorization: `token ${sandbox.github.token}` },
  });
  botLogin = ((await response.json()) as { login: string }).login;
}, 120_000);

describe('post-pr-comment (bundled, against the sandbox GitHub stand-in)', () => {
  it('creates the environment comment once, skips an unchanged body and updates it in place', async () => {
    const number = await openPullRequest();
    const first = await post(number, deployed);
    expect(first.exitCode).toBe(0);
    expect(first.outputs).toMatchObject({ result: 'created', truncated: 'false' });
    const [created] = await readComments(number);
    expect(created!.body.startsWith(`${marker}\n<!-- preview-actions:run 100/1 -->\n`)).toBe(true);
    expect(created!.body).toContain(
      '[https://pr.example.com/api](https://pr.example.com/api) | [health](https://pr.example.com/api/health)',
    );
    expect(created!.body).toContain('- Estimated cost: $2.50 per day');
    expect(created!.body).toContain('- Expires: 2030-01-01 12:00 UTC');
    expect(created!.body).toContain('- Login: protected by basic auth');
    expect(created!.body).not.toContain('hunter22');
    expect(first.masks).toContain('hunter22');

    const same = await post(number, deployed, '101');
    expect(same.outputs).toMatchObject({ result: 'unchanged', 'comment-id': first.outputs['comment-id'] });
    const changed = await post(
      number,
      { ...deployed, status: 'failed', message: 'The api did not become healthy' },
      '102',
    );
    expect(changed.outputs).toMatchObject({ result: 'updated', 'comment-id': first.outputs['comment-id'] });
    const comments = await readComments(number);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain('❌ Deploy failed');
  });

  it('escapes the branch and title taken from the event', async () => {
    const number = await openPullRequest();
    await post(number, deployed);
    const [comment] = await readComments(number);
    expect(comment!.body).toContain('**\\*\\*Bold\\*\\* &lt;img src=x onerror=alert\\(1\\)&gt; @\u200beveryone**');
    expect(comment!.body).toContain('branch `feat/<script>alert(1)</script>`');
    expect(comment!.body.replace(/`[^`]*`/g, '')).not.toMatch(/<img|<script/);
  });

  it('never edits a comment where another user pasted the marker', async () => {
    const number = await openPullRequest();
    const pasted = await github.call('createComment', {
      repo,
      issueNumber: number,
      author: 'mallory',
      body: `${marker}\n<!-- preview-actions:run 999999/1 -->\nmine`,
    });
    const run = await post(number, deployed);
    expect(run.outputs.result).toBe('created');
    const comments = await readComments(number);
    expect(comments.find((c) => c.id === pasted.id)!.body).toBe(pasted.body);
    expect(comments.filter((c) => c.author === botLogin)).toHaveLength(1);
  });

  it("leaves a newer run's comment to it when an older run finishes late", async () => {
    const number = await openPullRequest();
    await post(number, deployed, '500', '2');
    const older = await post(number, { ...deployed, status: 'deploying' }, '500', '1');
    expect(older.outputs.result).toBe('stale');
    const [comment] = await readComments(number);
    expect(comment!.body).toContain('🚀 Deployed');
    expect(comment!.body).toContain('<!-- preview-actions:run 500/2 -->');
  });

  it('cuts a 70 KB body to the limit, closing its code fence, with the whole text in the summary', async () => {
    const number = await openPullRequest();
    const body = `## Log\n\`\`\`\n${'line of log output\n'.repeat(3700)}\`\`\`\n`;
    const run = await post(number, { body });
    expect(run.outputs).toMatchObject({ result: 'created', truncated: 'true' });
    const [comment] = await readComments(number);
    expect(comment!.body.length).toBeLessThanOrEqual(65_536);
    expect(comment!.body).toMatch(/\n```\n\n… truncated: \d+ characters left out; see the job summary for the rest\.$/);
    expect(run.summary).toContain(body.slice(-200));
  });

  it('shows basic-auth credentials only with credentials-in-comment, and redacts them from any body otherwise', async () => {
    const number = await openPullRequest();
    const hidden = await post(number, {
      body: 'log in with preview:s3cret-pass',
      'basic-auth': 'preview:s3cret-pass',
      header: 'custom',
    });
    expect((await readComments(number))[0]!.body).toContain('log in with ***');
    expect(hidden.masks).toContain('s3cret-pass');
    await post(number, { ...deployed, 'basic-auth': 'preview:s3cret-pass', 'credentials-in-comment': 'true' });
    const shown = (await readComments(number)).find((c) => c.body.startsWith(marker))!;
    expect(shown.body).toContain('- Login: user `preview`, password `s3cret-pass`');
  });

  it('reads the body from a file, then hides and deletes only its own comment', async () => {
    const number = await openPullRequest();
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'h10-body-'));
    writeFileSync(join(dir, 'body.md'), 'from a file');
    const fromFile = await runActionBundle({
      action: 'post-pr-comment',
      repository: repo,
      workspace: dir,
      inputs: { 'pr-number': String(number), 'body-file': 'body.md' },
      token: sandbox.github.token,
      env: { GITHUB_API_URL: sandbox.github.apiUrl, GITHUB_GRAPHQL_URL: sandbox.github.graphqlUrl },
    });
    expect(fromFile.outputs.result).toBe('created');
    await github.call('createComment', { repo, issueNumber: number, author: 'mallory', body: `${marker}\nnot yours` });
    expect((await post(number, { mode: 'hide' })).outputs.result).toBe('hidden');
    let comments = await readComments(number);
    expect(comments.find((c) => c.author === botLogin)!.minimizedReason).toMatch(/outdated/i);
    expect((await post(number, { mode: 'delete' })).outputs.result).toBe('deleted');
    comments = await readComments(number);
    expect(comments.map((c) => c.author)).toEqual(['mallory']);
    expect((await post(number, { mode: 'delete' })).outputs.result).toBe('absent');
  });

  it.each([
    ['no body and no status', {}, /Nothing to post: set 'body', 'body-file', or 'status'/],
    ['a header that breaks the marker', { header: 'x -->', body: 'b' }, /comment header 'x -->' is not allowed/],
    ['urls that are not JSON', { ...deployed, urls: 'api=https://x' }, /Input 'urls' is not JSON/],
    ['a bad status', { status: 'great' }, /Input 'status' is 'great', expected one of deploying/],
  ])('fails on %s with one line before any write', async (_what, inputs, message) => {
    const number = await openPullRequest();
    const run = await post(number, inputs as Record<string, string>);
    expect(run.exitCode).toBe(1);
    expect(run.annotations.filter((a) => a.level === 'error').map((a) => a.message)).toEqual([
      expect.stringMatching(message),
    ]);
    expect(await readComments(number)).toEqual([]);
  });
});
