import type { Octokit } from '../action/context.js';
import { readCommitsAfter } from '../github/read-commits-after.js';
import { readPermission } from '../github/read-permission.js';
import type { RepoRef } from '../github/repo-ref.js';
import type { CommandRequest, PullRequestFacts } from './authorize-command.js';
import type { Command } from './command.js';
import type { CommentEvent } from './comment-event.js';

/**
 * Gathers the facts {@link authorizeCommand} decides on, reading them fresh from GitHub
 * after the comment: the commenter's permission by exact login, the pull request's head and
 * origin, and (for an unpinned `/deploy` only) whether commits arrived after the comment.
 * Screen the comment with {@link screenComment} first so ignored comments cost no requests.
 */
export async function gatherCommandRequest(input: {
  octokit: Octokit;
  repo: RepoRef;
  event: CommentEvent;
  command: Command;
  allowedRoles?: readonly string[];
  allowForks: boolean;
}): Promise<CommandRequest> {
  const { octokit, repo, event, command } = input;
  const [permission, pull, commitsAfter] = await Promise.all([
    readPermission({
      octokit,
      repo,
      login: event.author.login,
      ...(input.allowedRoles ? { allowed: input.allowedRoles } : {}),
    }),
    octokit.rest.pulls.get({ ...repo, pull_number: event.issueNumber }),
    command.name === 'deploy' && command.sha === undefined
      ? readCommitsAfter({ octokit, repo, issueNumber: event.issueNumber, since: event.createdAt })
      : Promise.resolve({ reached: false as const }),
  ]);
  const { data } = pull;
  const pullRequest: PullRequestFacts = {
    headSha: data.head.sha,
    state: data.merged ? 'MERGED' : data.state === 'open' ? 'OPEN' : 'CLOSED',
    isCrossRepository: data.head.repo?.full_name.toLowerCase() !== data.base.repo.full_name.toLowerCase(),
    commitsAfterComment: commitsAfter.reached,
  };
  return {
    command,
    comment: {
      action: event.action,
      authorLogin: event.author.login,
      authorType: event.author.type,
      onPullRequest: event.onPullRequest,
    },
    permission,
    pullRequest,
    allowForks: input.allowForks,
  };
}
