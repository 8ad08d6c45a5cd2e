import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { runActionBundle, type ActionRun } from '../harness/index.js';
import { issueCommentEvent } from '../harness/events.js';
import { ensureSandbox } from '../sandbox/ensure.js';
import type { SandboxEndpoints } from '../sandbox/endpoints.js';
import { createFaultProxyClient, type FaultProxyClient } from '../sandbox/fault-proxy/client.js';
import { startFaultProxy, type FaultProxy } from '../sandbox/fault-proxy/server.js';
import { createGitHubAdminClient, type GitHubAdminClient } from '../standins/github/admin-client.js';
import type { CommentRecord } from '../standins/github/records.js';

// The sandbox's GitHub stand-in, seen through a private fault proxy that also fronts moto, so the
// counters prove which calls this action made, and that none went to AWS, whatever else runs.
const suffix = randomBytes(3).toString('hex');
const owner = `h10-org-${suffix}`;
const repo = `${owner}/commands`;
const admin = `h10-admin-${suffix}`;
const lookalike = `h10-admin-${suffix.slice(0, -1)}${suffix.endsWith('0') ? '1' : '0'}`;
const reader = `h10-reader-${suffix}`;
const writer = `h10-writer-${suffix}`;

let sandbox: SandboxEndpoints;
let github: GitHubAdminClient;
let proxy: FaultProxy;
let counters: FaultProxyClient;
let botLogin: string;

async function openPullRequest(headRepo?: string): Promise<{ number: number; headSha: string }> {
  const pull = await github.call('createPullRequest', { repo, author: writer, ...(headRepo ? { headRepo } : {}) });
  return { number: pull.number, headSha: pull.head.sha };
}

async function comment(number: number, author: string, body: string): Promise<CommentRecord> {
  await new Promise((resolve) => setTimeout(resolve, 5));
  return github.call('createComment', { repo, issueNumber: number, body, author });
}

async function runCommand(
  record: CommentRecord,
  options: { action?: 'created' | 'edited'; inputs?: Record<string, string>; authorType?: 'User' | 'Bot' } = {},
): Promise<ActionRun> {
  const event = issueCommentEvent(options.action ?? 'created', {
    repository: repo,
    number: record.issueNumber,
    body: record.body,
    author: record.author,
    commentId: record.id,
    ...(options.authorType ? { authorType: options.authorType } : {}),
  });
  (event.payload.comment as { created_at: string }).created_at = record.createdAt;
  await counters.reset();
  return runActionBundle({
    action: 'pr-command',
    repository: repo,
    event,
    inputs: options.inputs ?? {},
    token: sandbox.github.token,
    env: {
      GITHUB_API_URL: proxy.urls.github!,
      GITHUB_GRAPHQL_URL: `${proxy.urls.github!}/graphql`,
      AWS_ENDPOINT_URL: proxy.urls.aws!,
      AWS_REGION: sandbox.aws.region,
      AWS_ACCESS_KEY_ID: sandbox.aws.accessKeyId,
      AWS_SECRET_ACCESS_KEY: sandbox.aws.secretAccessKey,
    },
  });
}

async function readCounts(target: 'aws' | 'github'): Promise<Record<string, { calls: number }>> {
  return (await counters.counters())[target] ?? {};
}

async function readSnapshot() {
  return github.call('snapshot');
}

async function readAnswers(record: CommentRecord) {
  const snapshot = await readSnapshot();
  return {
    reactions: snapshot.reactions.filter((r) => r.commentId === record.id).map((r) => r.content),
    replies: snapshot.comments.filter(
      (c) =>
        c.issueNumber === record.issueNumber &&
        c.repo === repo &&
        c.author === botLogin &&
        c.createdAt >= record.createdAt,
    ),
    checks: snapshot.checkRuns.filter((c) => c.repo === repo),
  };
}

function expectNoInjectedCommands(run: ActionRun): void {
  const injected = run.commands.filter((c) =>
    ['set-output', 'set-env', 'add-mask', 'add-path', 'stop-commands'].includes(c.command),
  );
  expect(injected.filter((c) => !(c.command === 'add-mask' && c.message === sandbox.github.token))).toEqual([]);
}

beforeAll(async () => {
  sandbox = await ensureSandbox();
  github = createGitHubAdminClient(sandbox.github.adminUrl);
  proxy = await startFaultProxy({
    targets: {
      aws: { url: sandbox.aws.directUrl, kind: 'aws' },
      github: { url: sandbox.github.directApiUrl, kind: 'github' },
    },
  });
  counters = createFaultProxyClient(proxy.adminUrl);
  await github.call('createRepository', { owner, name: 'commands' });
  await github.call('addCollaborator', { repo, login: admin, role: 'admin' });
  await github.call('addCollaborator', { repo, login: writer, role: 'write' });
  await github.call('addCollaborator', { repo, login: reader, role: 'read' });
  const response = await fetch(`${sandbox.github.directApiUrl}/user`, {
    headers: { authorization: `token ${sandbox.github.token}` },
  });
  botLogin = ((await response.json()) as { login: string }).login;
}, 120_000);

afterAll(async () => {
  await proxy?.close();
});

describe('pr-command (bundled, against the sandbox GitHub stand-in)', () => {
  it('allows /deploy from an admin, pinned to the head, with 👀 then 🚀 and a successful check run', async () => {
    const pull = await openPullRequest();
    const record = await comment(pull.number, admin, '/deploy');
    const run = await runCommand(record);
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({
      command: 'deploy',
      args: '',
      allowed: 'true',
      status: 'allowed',
      'head-sha': pull.headSha,
      'pr-number': String(pull.number),
    });
    const answers = await readAnswers(record);
    expect(answers.reactions).toEqual(['eyes', 'rocket']);
    expect(answers.replies).toEqual([]);
    expect(answers.checks.filter((c) => c.headSha === pull.headSha)).toEqual([
      expect.objectContaining({ name: 'preview-actions: command', status: 'completed', conclusion: 'success' }),
    ]);
    expect(await readCounts('aws')).toEqual({});
    expect(run.masks).toContain(sandbox.github.token);
  });

  it('denies /deploy from a read-only user with a reply, 😕, a neutral check run and zero AWS calls', async () => {
    const pull = await openPullRequest();
    const record = await comment(pull.number, reader, '/deploy');
    const run = await runCommand(record);
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({
      command: 'deploy',
      allowed: 'false',
      status: 'denied',
      'head-sha': pull.headSha,
    });
    expect(run.outputs.reason).toBe(`@${reader} has read access; running commands needs write, maintain, admin`);
    const answers = await readAnswers(record);
    expect(answers.reactions).toEqual(['eyes', 'confused']);
    expect(answers.replies).toHaveLength(1);
    expect(answers.replies[0]!.body).toContain(`@${reader} /deploy was not run: @\u200b${reader} has read access`);
    expect(answers.checks.find((c) => c.headSha === pull.headSha)?.conclusion).toBe('neutral');
    expect(await readCounts('aws')).toEqual({});
    const calls = await readCounts('github');
    expect(Object.keys(calls).some((operation) => /collaborators.*permission/.test(operation))).toBe(true);
  });

  it("denies a login one character away from an admin's", async () => {
    const pull = await openPullRequest();
    const record = await comment(pull.number, lookalike, '/deploy');
    const run = await runCommand(record);
    expect(run.outputs).toMatchObject({ allowed: 'false', status: 'denied' });
    // The stand-in, like GitHub, answers 404 for a login that is no collaborator it knows.
    expect(run.outputs.reason).toMatch(
      new RegExp(`^(@${lookalike} has (none|read) access|could not verify @${lookalike}'s permission \\(HTTP 404\\))`),
    );
    expect(await readCounts('aws')).toEqual({});
  });

  it('denies /deploy when the permission API keeps failing (through both retries), saying it could not verify', async () => {
    const pull = await openPullRequest();
    const record = await comment(pull.number, admin, '/deploy');
    await github.call('injectFault', {
      method: 'GET',
      path: `/repos/${repo}/collaborators/${admin}/permission`,
      status: 502,
      times: 3,
    });
    const run = await runCommand(record);
    expect(run.outputs).toMatchObject({ allowed: 'false', status: 'denied' });
    expect(run.outputs.reason).toMatch(/^could not verify @.*'s permission \(HTTP 502\)$/);
  });

  it('fails with exit 1 and a reply when the pull request cannot be read (through both retries)', async () => {
    const pull = await openPullRequest();
    const record = await comment(pull.number, admin, '/restart');
    await github.call('injectFault', {
      method: 'GET',
      path: `/repos/${repo}/pulls/${pull.number}`,
      status: 500,
      times: 3,
    });
    const run = await runCommand(record);
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toMatchObject({
      command: 'restart',
      allowed: 'false',
      status: 'failed',
      reason: `could not read pull request #${pull.number} (HTTP 500)`,
    });
    expect(run.annotations.filter((a) => a.level === 'error').map((a) => a.message)).toEqual([
      `pr-command failed: /restart on #${pull.number} failed: could not read pull request #${pull.number} (HTTP 500)`,
    ]);
    const answers = await readAnswers(record);
    expect(answers.reactions).toEqual(['eyes', 'confused']);
    expect(answers.replies[0]!.body).toContain('/restart was not run: could not read pull request');
  });

  it('refuses an unpinned /deploy when commits reached the pull request after the comment', async () => {
    const pull = await openPullRequest();
    const record = await comment(pull.number, admin, '/deploy');
    const pushed = await github.call('pushCommits', {
      repo,
      number: pull.number,
      date: new Date(Date.now() + 60_000).toISOString(),
    });
    const run = await runCommand(record);
    expect(run.outputs).toMatchObject({ command: 'deploy', allowed: 'false', 'head-sha': pushed.sha });
    expect(run.outputs.reason).toBe(
      `commits reached the pull request after the comment; comment /deploy ${pushed.sha} to deploy the new head`,
    );
    expect((await readAnswers(record)).replies[0]!.body).toContain(
      'commits reached the pull request after the comment',
    );
  });

  it('allows /deploy <sha> only when the full sha is the head, and refuses a prefix saying so', async () => {
    const pull = await openPullRequest();
    const good = await runCommand(await comment(pull.number, admin, `/deploy ${pull.headSha}`));
    expect(good.outputs).toMatchObject({ allowed: 'true', args: pull.headSha, 'head-sha': pull.headSha });
    const other = '0123456789abcdef0123456789abcdef01234567';
    const bad = await runCommand(await comment(pull.number, admin, `/deploy ${other}`));
    expect(bad.outputs).toMatchObject({ allowed: 'false', args: other });
    expect(bad.outputs.reason).toContain('is not the pull request head');
    const prefix = await runCommand(await comment(pull.number, admin, `/deploy ${pull.headSha.slice(0, 10)}`));
    expect(prefix.outputs).toMatchObject({ allowed: 'false', command: '' });
    expect(prefix.outputs.reason).toBe(
      'the command was not understood: /deploy needs the full 40-character commit sha, not a 10-character prefix (git rev-parse HEAD prints it)',
    );
  });

  it('rejects /deploy $(id) without running anything, answering with an escaped reason', async () => {
    const pull = await openPullRequest();
    const record = await comment(pull.number, admin, '/deploy $(id)');
    const run = await runCommand(record);
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ command: '', allowed: 'false', status: 'denied' });
    expect(run.outputs.reason).toBe(
      'the command was not understood: /deploy takes at most one commit sha, its full 40 hex digits',
    );
    const answers = await readAnswers(record);
    expect(answers.reactions).toEqual(['confused']);
    expect(answers.replies[0]!.body).toContain('Comment /help for the commands');
    expect(run.stdout).not.toMatch(/uid=\d+/);
  });

  it.each([
    ['backticks', '/deploy `id`'],
    ['shell metacharacters', '/deploy abcdef1; curl http://127.0.0.1 | sh'],
    ['a workflow command on the next line', '/deploy\n::set-output name=allowed::true\n::add-mask::x'],
    ['a workflow command in the command', '/::set-output name=allowed::true'],
    ['markdown and HTML', '/<img src=x onerror=alert(1)> [x](javascript:alert(1)) @everyone'],
    ['a 64 KB body', `/deploy ${'a'.repeat(64 * 1024)}`],
    ['a unicode look-alike slash', '\u2215deploy'],
  ])('renders %s inert in the reply, outputs and summary', async (_what, body) => {
    const pull = await openPullRequest();
    const record = await comment(pull.number, reader, body);
    const run = await runCommand(record);
    expect(run.exitCode).toBe(0);
    expectNoInjectedCommands(run);
    expect(run.outputs.allowed).toBe('false');
    const everything = [
      run.outputs.reason,
      run.summary,
      ...(await readAnswers(record)).replies.map((r) => r.body),
    ].join('\n');
    expect(everything).not.toMatch(/<img|\]\(javascript:|(^|[^\u200b])@everyone|\n::|\n`id`/);
    expect(everything.length).toBeLessThan(4000);
    expect(await readCounts('aws')).toEqual({});
  });

  it('ignores edited comments, bots and issues without a single API call', async () => {
    const pull = await openPullRequest();
    const edited = await runCommand(await comment(pull.number, admin, '/deploy'), { action: 'edited' });
    expect(edited.outputs).toMatchObject({ status: 'ignored', allowed: 'false', command: '' });
    expect(await readCounts('github')).toEqual({});
    const bot = await runCommand(await comment(pull.number, 'h10-helper[bot]', '/deploy'));
    expect(bot.outputs).toMatchObject({ status: 'ignored', reason: 'h10-helper[bot] is a bot' });
    expect(await readCounts('github')).toEqual({});
  });

  it('stays silent on comments that are not commands', async () => {
    const pull = await openPullRequest();
    const record = await comment(pull.number, admin, 'Looks good to me, deploying later');
    const run = await runCommand(record);
    expect(run.outputs).toMatchObject({ status: 'ignored', allowed: 'false' });
    expect(await readCounts('github')).toEqual({});
    expect((await readAnswers(record)).reactions).toEqual([]);
  });

  it("stays silent on other bots' commands and paths, but answers a near miss of its own", async () => {
    const pull = await openPullRequest();
    for (const body of ['/lgtm', '/hold', '/cc @octocat', '/usr/local/bin is not on PATH']) {
      const record = await comment(pull.number, admin, body);
      const run = await runCommand(record);
      expect(run.outputs).toMatchObject({ status: 'ignored', allowed: 'false', command: '' });
      expect(await readCounts('github')).toEqual({});
      expect(await readAnswers(record)).toMatchObject({ reactions: [], replies: [] });
    }
    const typo = await comment(pull.number, admin, '/depoly');
    const run = await runCommand(typo);
    expect(run.outputs).toMatchObject({
      status: 'denied',
      allowed: 'false',
      reason: 'the command was not understood: unknown command "/depoly"',
    });
    const answers = await readAnswers(typo);
    expect(answers.reactions).toEqual(['confused']);
    expect(answers.replies.map((r) => r.body)).toEqual([expect.stringContaining('unknown command')]);
  });

  it('denies commands on fork pull requests unless allow-forks is set', async () => {
    const pull = await openPullRequest(`h10-fork-${suffix}/commands`);
    const denied = await runCommand(await comment(pull.number, admin, '/restart'));
    expect(denied.outputs).toMatchObject({ allowed: 'false' });
    expect(denied.outputs.reason).toContain('comes from a fork');
    const allowed = await runCommand(await comment(pull.number, admin, '/restart'), {
      inputs: { 'allow-forks': 'true' },
    });
    expect(allowed.outputs).toMatchObject({ command: 'restart', allowed: 'true' });
  });

  it('answers /extend with the duration and the new expiry, capped by max-extend', async () => {
    const pull = await openPullRequest();
    const before = Date.now();
    const run = await runCommand(await comment(pull.number, writer, '/extend 2h'));
    expect(run.outputs).toMatchObject({ command: 'extend', args: '2h', allowed: 'true' });
    const expires = Date.parse(run.outputs['expires-at']!);
    expect(expires).toBeGreaterThanOrEqual(before + 2 * 3_600_000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 2 * 3_600_000);
    const capped = await runCommand(await comment(pull.number, writer, '/extend 30d'), {
      inputs: { 'max-extend': '3d' },
    });
    expect(Date.parse(capped.outputs['expires-at']!)).toBeLessThanOrEqual(Date.now() + 3 * 86_400_000);
    expect(capped.outputs.reason).toContain('capped');
  });

  it('lists the commands for /help, honouring a custom prefix and command set', async () => {
    const pull = await openPullRequest();
    const record = await comment(pull.number, reader, '!help');
    const run = await runCommand(record, {
      inputs: { 'command-prefix': '!', commands: 'deploy,help', 'allowed-permissions': 'read,write,admin' },
    });
    expect(run.outputs).toMatchObject({ command: 'help', allowed: 'true' });
    const reply = (await readAnswers(record)).replies[0]!.body;
    expect(reply).toContain('`!deploy [sha]`');
    expect(reply).not.toContain('extend');
    const refused = await runCommand(await comment(pull.number, admin, '!cleanup'), {
      inputs: { 'command-prefix': '!', commands: 'deploy,help' },
    });
    expect(refused.outputs.reason).toContain('the command !cleanup is not enabled here');
  });

  it('fails with one line when triggered by another event', async () => {
    const run = await runActionBundle({
      action: 'pr-command',
      repository: repo,
      token: sandbox.github.token,
      env: { GITHUB_API_URL: proxy.urls.github! },
    });
    expect(run.exitCode).toBe(1);
    expect(run.annotations.map((a) => a.message)).toEqual([
      'pr-command failed: pr-command runs on issue_comment events, not workflow_dispatch: trigger it with on: issue_comment (types: [created])',
    ]);
  });
});
