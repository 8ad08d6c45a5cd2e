import { describe, expect, it } from '@jest/globals';
import { MemoryIO } from '../action/io.js';
import { createLogger } from '../action/logger.js';
import type { CommentEvent } from '../chatops/comment-event.js';
import { COMMAND_NAMES } from '../chatops/command.js';
import { createFakeOctokit, type FakeRequest, type FakeResponse } from '../github/fake-github.test-helper.js';
import { handleCommand, type HandleCommandRequest } from './handle-command.js';

const HEAD = '0123456789abcdef0123456789abcdef01234567';
const repo = { owner: 'octo-org', repo: 'octo-repo' };

function event(overrides: Partial<CommentEvent> = {}): CommentEvent {
  return {
    action: 'created',
    commentId: 77,
    body: '/deploy',
    createdAt: new Date('2030-01-01T00:00:00Z'),
    author: { login: 'alice', type: 'User' },
    issueNumber: 5,
    onPullRequest: true,
    ...overrides,
  };
}

/** A GitHub where alice has `role`, pull #5 is open at HEAD, and nothing happened after the comment. */
function github(role: string, override: (request: FakeRequest) => FakeResponse | undefined = () => undefined) {
  return createFakeOctokit((request) => {
    const overridden = override(request);
    if (overridden) return overridden;
    if (request.path.includes('/collaborators/alice/permission'))
      return { status: 200, body: { permission: role, role_name: role, user: { login: 'alice' } } };
    if (request.path === '/repos/octo-org/octo-repo/pulls/5') {
      const full = { full_name: 'octo-org/octo-repo' };
      return {
        status: 200,
        body: { number: 5, state: 'open', merged: false, head: { sha: HEAD, repo: full }, base: { repo: full } },
      };
    }
    if (request.path.startsWith('/repos/octo-org/octo-repo/issues/5/timeline')) return { status: 200, body: [] };
    if (request.method === 'POST' && request.path.endsWith('/check-runs')) return { status: 201, body: { id: 9 } };
    if (request.path.endsWith('/comments')) return { status: 201, body: { id: 1, html_url: 'https://github.com/x' } };
    return { status: 201, body: { id: 1 } };
  });
}

function handle(octokit: HandleCommandRequest['octokit'], comment: CommentEvent, io = new MemoryIO()) {
  return handleCommand({
    octokit,
    repo,
    event: comment,
    prefix: '/',
    commands: COMMAND_NAMES,
    allowedRoles: ['write', 'maintain', 'admin'],
    allowForks: false,
    checkName: 'preview-actions: command',
    maxExtendMs: 7 * 86_400_000,
    now: new Date('2030-01-01T00:00:10Z'),
    log: createLogger(io),
  });
}

const calls = (requests: FakeRequest[]) => requests.map((r) => `${r.method} ${r.path.replace(/\?.*$/, '')}`);

describe('handleCommand', () => {
  it('allows a writer, pinning the head, with eyes, rocket and a successful check run', async () => {
    const { octokit, requests } = github('write');
    const outcome = await handle(octokit, event());
    expect(outcome).toMatchObject({
      status: 'allowed',
      command: 'deploy',
      args: '',
      headSha: HEAD,
      prNumber: 5,
      feedbackProblems: [],
    });
    const reactions = requests.filter((r) => r.path.endsWith('/reactions')).map((r) => r.body?.content);
    expect(reactions).toEqual(['eyes', 'rocket']);
    const checks = requests.filter((r) => r.path.includes('/check-runs'));
    expect(checks.map((r) => r.method)).toEqual(['POST']);
    expect(checks[0]?.body).toMatchObject({
      status: 'completed',
      conclusion: 'success',
      output: { title: '/deploy accepted' },
    });
    expect(calls(requests)).not.toContain('POST /repos/octo-org/octo-repo/issues/5/comments');
  });

  it('makes no request for a comment that is not a command', async () => {
    const { octokit, requests } = github('admin');
    expect(await handle(octokit, event({ body: 'ship it' }))).toMatchObject({ status: 'ignored', command: '' });
    expect(requests).toEqual([]);
  });

  it('denies a reader with a reply and a neutral check run', async () => {
    const { octokit, requests } = github('read');
    const outcome = await handle(octokit, event());
    expect(outcome).toMatchObject({
      status: 'denied',
      reason: '@alice has read access; running commands needs write, maintain, admin',
    });
    const reply = requests.find((r) => r.path.endsWith('/issues/5/comments'));
    expect(reply?.body?.body).toBe(
      '@alice /deploy was not run: @\u200balice has read access; running commands needs write, maintain, admin.',
    );
    expect(requests.find((r) => r.path.endsWith('/check-runs'))?.body).toMatchObject({
      status: 'completed',
      conclusion: 'neutral',
    });
  });

  it('fails when the pull request cannot be read, without a check run', async () => {
    const { octokit, requests } = github('admin', (r) =>
      r.path === '/repos/octo-org/octo-repo/pulls/5' ? { status: 500, body: { message: 'boom' } } : undefined,
    );
    const outcome = await handle(octokit, event({ body: '/restart' }));
    expect(outcome).toMatchObject({
      status: 'failed',
      reason: 'could not read pull request #5 (HTTP 500)',
      headSha: '',
    });
    expect(calls(requests).some((c) => c.includes('check-runs'))).toBe(false);
    expect(requests.filter((r) => r.path.endsWith('/reactions')).map((r) => r.body?.content)).toEqual([
      'eyes',
      'confused',
    ]);
  });

  it('keeps the decision when feedback is forbidden, naming the permission missing', async () => {
    const { octokit } = github('admin', (r) =>
      r.path.includes('check-runs')
        ? { status: 403, body: { message: 'Resource not accessible by integration' } }
        : undefined,
    );
    const io = new MemoryIO();
    const outcome = await handle(octokit, event({ body: '/cleanup' }), io);
    expect(outcome.status).toBe('allowed');
    expect(outcome.feedbackProblems).toEqual([
      "could not create the check run (HTTP 403); the token needs 'checks: write'",
    ]);
    expect(io.messages('warning')[0]).toContain("the token needs 'checks: write'");
  });

  it('counts /extend from now and caps it at the maximum', async () => {
    const { octokit } = github('write');
    expect((await handle(octokit, event({ body: '/extend 90m' }))).expiresAt?.toISOString()).toBe(
      '2030-01-01T01:30:10.000Z',
    );
    const capped = await handle(octokit, event({ body: '/extend 30d' }));
    expect(capped.expiresAt?.toISOString()).toBe('2030-01-08T00:00:10.000Z');
    expect(capped.reason).toContain('capped at 2030-01-08T00:00:10.000Z');
  });

  it('replies to /help with the command list and records no check run', async () => {
    const { octokit, requests } = github('write');
    expect(await handle(octokit, event({ body: '/help' }))).toMatchObject({ status: 'allowed', command: 'help' });
    const reply = requests.find((r) => r.path.endsWith('/issues/5/comments'))?.body?.body as string;
    expect(reply).toContain('- `/extend <duration>`');
    expect(calls(requests).some((c) => c.includes('check-runs'))).toBe(false);
  });

  it('quotes an unknown command only with harmless characters', async () => {
    const { octokit, requests } = github('write');
    const outcome = await handle(octokit, event({ body: '/deploy<b>x</b>`$(id)`' }));
    expect(outcome.reason).toBe('the command was not understood: unknown command "/deploy?b?x?/b???(id)?"');
    expect(requests.find((r) => r.path.endsWith('/comments'))?.body?.body).not.toMatch(/[<`$]/);
  });

  it('stays silent on a command that is not one of ours', async () => {
    const { octokit, requests } = github('write');
    const outcome = await handle(octokit, event({ body: '/<b>x</b>`$(id)`' }));
    expect(outcome).toMatchObject({ status: 'ignored', reason: 'the word after / is not one of our commands' });
    expect(requests).toEqual([]);
  });
});
