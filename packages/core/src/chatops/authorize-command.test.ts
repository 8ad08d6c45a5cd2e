import { authorizeCommand, type CommandRequest } from './authorize-command.js';
import type { Command } from './command.js';

const HEAD = '0123456789abcdef0123456789abcdef01234567';

function request(
  overrides: {
    command?: Command;
    comment?: Partial<CommandRequest['comment']>;
    permission?: Partial<CommandRequest['permission']>;
    pullRequest?: Partial<CommandRequest['pullRequest']>;
    allowForks?: boolean;
  } = {},
): CommandRequest {
  return {
    command: overrides.command ?? { name: 'deploy' },
    comment: {
      action: 'created',
      authorLogin: 'octocat',
      authorType: 'User',
      onPullRequest: true,
      ...overrides.comment,
    },
    permission: { allowed: true, reason: 'octocat has write', ...overrides.permission },
    pullRequest: {
      headSha: HEAD,
      state: 'OPEN',
      isCrossRepository: false,
      commitsAfterComment: false,
      ...overrides.pullRequest,
    },
    allowForks: overrides.allowForks ?? false,
  };
}

describe('authorizeCommand', () => {
  it.each<[string, CommandRequest, string, RegExp]>([
    ['edited comments', request({ comment: { action: 'edited' } }), 'ignore', /only new comments/],
    ['deleted comments', request({ comment: { action: 'deleted' } }), 'ignore', /only new comments/],
    ['bot authors by type', request({ comment: { authorType: 'Bot', authorLogin: 'renovate' } }), 'ignore', /bot/],
    ['bot authors by login', request({ comment: { authorLogin: 'github-actions[bot]' } }), 'ignore', /bot/],
    ['plain issues', request({ comment: { onPullRequest: false } }), 'ignore', /not on a pull request/],
    [
      'commenters without permission',
      request({ permission: { allowed: false, reason: 'mallory has read' } }),
      'deny',
      /mallory has read/,
    ],
    [
      'unverifiable permission',
      request({ permission: { allowed: false, reason: 'could not verify' } }),
      'deny',
      /could not verify/,
    ],
    ['fork pull requests', request({ pullRequest: { isCrossRepository: true } }), 'deny', /fork/],
    [
      'restart on forks',
      request({ command: { name: 'restart' }, pullRequest: { isCrossRepository: true } }),
      'deny',
      /fork/,
    ],
    ['closed pull requests', request({ pullRequest: { state: 'CLOSED' } }), 'deny', /closed/],
    [
      'deploys after later commits',
      request({ pullRequest: { commitsAfterComment: true } }),
      'deny',
      /after the comment/,
    ],
    [
      'deploys when the timeline is unreadable',
      request({ pullRequest: { commitsAfterComment: 'unknown' } }),
      'deny',
      /could not verify/,
    ],
    [
      'deploys of another sha',
      request({ command: { name: 'deploy', sha: 'fedcba9' } }),
      'deny',
      /not the pull request head/,
    ],
    [
      'a deploy naming only a prefix of the head (a later commit could share it)',
      request({ command: { name: 'deploy', sha: HEAD.slice(0, 7) } }),
      'deny',
      /not the pull request head/,
    ],
  ])('handles %s', (_name, input, decision, reason) => {
    const result = authorizeCommand(input);
    expect(result.decision).toBe(decision);
    expect('reason' in result ? result.reason : '').toMatch(reason);
  });

  it.each<[string, CommandRequest]>([
    ['a plain deploy', request()],
    [
      'a deploy pinned by full sha even after later commits',
      request({ command: { name: 'deploy', sha: HEAD }, pullRequest: { commitsAfterComment: true } }),
    ],
    ['a deploy pinned by full sha', request({ command: { name: 'deploy', sha: HEAD } })],
    ['fork deploys when forks are allowed', request({ pullRequest: { isCrossRepository: true }, allowForks: true })],
    ['cleanup on forks', request({ command: { name: 'cleanup' }, pullRequest: { isCrossRepository: true } })],
    ['cleanup on closed pull requests', request({ command: { name: 'cleanup' }, pullRequest: { state: 'MERGED' } })],
    ['help', request({ command: { name: 'help' } })],
    ['extend', request({ command: { name: 'extend', duration: { text: '2h', milliseconds: 7_200_000 } } })],
  ])('allows %s and pins the head', (_name, input) => {
    expect(authorizeCommand(input)).toEqual({ decision: 'allow', command: input.command, sha: HEAD });
  });

  it('checks permission before revealing anything about the pull request', () => {
    const result = authorizeCommand(
      request({
        permission: { allowed: false, reason: 'no access' },
        pullRequest: { isCrossRepository: true, state: 'CLOSED' },
      }),
    );
    expect(result).toEqual({ decision: 'deny', reason: 'no access' });
  });
});
