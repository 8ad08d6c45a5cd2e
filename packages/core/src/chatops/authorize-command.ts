import type { Command } from './command.js';

/** What the `issue_comment` event says about the comment. */
export interface CommentFacts {
  /** The event's `action`; only `created` is acted on. */
  action: string;
  authorLogin: string;
  /** `User`, `Bot` or `Organization`, from the comment's `user.type`. */
  authorType: string;
  /** True when the comment sits on a pull request (the issue has `pull_request`). */
  onPullRequest: boolean;
}

/** The commenter's standing on the repository, from {@link readPermission}. */
export interface PermissionFacts {
  allowed: boolean;
  reason: string;
}

/** The pull request as read after the comment was made. */
export interface PullRequestFacts {
  headSha: string;
  state: 'OPEN' | 'CLOSED' | 'MERGED';
  isCrossRepository: boolean;
  /**
   * Whether commits reached the pull request after the comment was made; `unknown` when
   * that could not be read, which refuses a deploy.
   */
  commitsAfterComment: boolean | 'unknown';
}

/** Everything {@link authorizeCommand} decides on. */
export interface CommandRequest {
  command: Command;
  comment: CommentFacts;
  permission: PermissionFacts;
  pullRequest: PullRequestFacts;
  allowForks: boolean;
}

/**
 * The policy's answer. `ignore` means stay silent (not ours to answer); `deny` means answer
 * with the reason; `allow` carries the commit a deploy must use.
 */
export type CommandDecision =
  | { decision: 'ignore'; reason: string }
  | { decision: 'deny'; reason: string }
  | { decision: 'allow'; command: Command; sha: string };

const RUNS_PR_CODE = new Set<Command['name']>(['deploy', 'restart', 'extend']);

/**
 * Decides whether a parsed command may run. Pure, so every rule is table-tested:
 * edited comments, bots and plain issues are ignored; the commenter's exact login must hold an
 * allowed permission; fork pull requests may not run their code unless allowed; a deploy uses
 * the head as it was when the comment was made, so later commits or a different sha refuse it.
 */
export function authorizeCommand(request: CommandRequest): CommandDecision {
  const { command, comment, permission, pullRequest } = request;
  const ignored = screenComment(comment);
  if (ignored) return ignored;
  if (!permission.allowed) return { decision: 'deny', reason: permission.reason };
  if (command.name === 'help' || command.name === 'cleanup') return allow(command, pullRequest);
  if (pullRequest.state !== 'OPEN') {
    return { decision: 'deny', reason: `the pull request is ${pullRequest.state.toLowerCase()}; reopen it first` };
  }
  if (pullRequest.isCrossRepository && !request.allowForks && RUNS_PR_CODE.has(command.name)) {
    return {
      decision: 'deny',
      reason: 'the pull request comes from a fork, and this repository does not allow fork previews',
    };
  }
  if (command.name === 'deploy') return authorizeDeploy(command, pullRequest);
  return allow(command, pullRequest);
}

/**
 * The part of the policy that needs no API call: edited or deleted comments, bots and plain
 * issues are ignored. Callers screen first so such comments cost no requests.
 */
export function screenComment(comment: CommentFacts): { decision: 'ignore'; reason: string } | undefined {
  if (comment.action !== 'created')
    return { decision: 'ignore', reason: `comment was ${comment.action}, only new comments count` };
  if (comment.authorType === 'Bot' || /\[bot\]$/i.test(comment.authorLogin)) {
    return { decision: 'ignore', reason: `${comment.authorLogin} is a bot` };
  }
  if (!comment.onPullRequest) return { decision: 'ignore', reason: 'the comment is not on a pull request' };
  return undefined;
}

function authorizeDeploy(
  command: Extract<Command, { name: 'deploy' }>,
  pullRequest: PullRequestFacts,
): CommandDecision {
  const head = pullRequest.headSha.toLowerCase();
  if (command.sha !== undefined) {
    if (head !== command.sha) {
      return {
        decision: 'deny',
        reason: `${command.sha} is not the pull request head (${head}); comment /deploy ${head} to deploy the head`,
      };
    }
    return allow(command, pullRequest);
  }
  if (pullRequest.commitsAfterComment === 'unknown') {
    return {
      decision: 'deny',
      reason:
        'could not verify that no commits reached the pull request after the comment; comment /deploy <sha> to pin one',
    };
  }
  if (pullRequest.commitsAfterComment) {
    return {
      decision: 'deny',
      reason: `commits reached the pull request after the comment; comment /deploy ${head} to deploy the new head`,
    };
  }
  return allow(command, pullRequest);
}

function allow(command: Command, pullRequest: PullRequestFacts): CommandDecision {
  return { decision: 'allow', command, sha: pullRequest.headSha.toLowerCase() };
}
