import type { Octokit } from '../action/context.js';
import type { Logger } from '../action/logger.js';
import { escapeMarkdown } from '../action/summary.js';
import { authorizeCommand, screenComment } from '../chatops/authorize-command.js';
import type { Command, CommandName } from '../chatops/command.js';
import type { CommentEvent } from '../chatops/comment-event.js';
import { gatherCommandRequest } from '../chatops/gather-command-request.js';
import { parseCommand } from '../chatops/parse-command.js';
import { createCompletedCheckRun, type CheckConclusion } from '../github/check-run.js';
import { addReaction, createReplyComment, type CommandReaction } from '../github/comment-reply.js';
import { readHttpStatus } from '../github/http-status.js';
import type { RepoRef } from '../github/repo-ref.js';
import { extendExpiry } from '../preview/expiry.js';
import { renderCommandHelp } from './render-command-help.js';

/** Arguments of {@link handleCommand}. */
export interface HandleCommandRequest {
  octokit: Octokit;
  repo: RepoRef;
  event: CommentEvent;
  prefix: string;
  commands: readonly CommandName[];
  allowedRoles: readonly string[];
  allowForks: boolean;
  /** The check run's name on the head commit; '' for none. */
  checkName: string;
  /** How far ahead of now `/extend` may push the expiry. */
  maxExtendMs: number;
  now: Date;
  log: Logger;
  /** Where the check run links to, e.g. the workflow run. */
  detailsUrl?: string;
}

/**
 * What became of the comment. `ignored`: not addressed to us, nothing was said or changed.
 * `denied`: refused, with the reason replied. `failed`: we could not decide. `allowed`: later
 * jobs may act on `command` at `headSha`.
 */
export interface CommandOutcome {
  status: 'ignored' | 'denied' | 'failed' | 'allowed';
  command: CommandName | '';
  /** The validated argument: the sha of `/deploy <sha>`, the duration of `/extend`; '' otherwise. */
  args: string;
  reason: string;
  /** The pull request head the command is pinned to; '' when unknown. */
  headSha: string;
  prNumber: number;
  /** For an allowed `/extend`: the new expiry counted from now, capped at `maxExtendMs`. */
  expiresAt?: Date;
  /** Feedback that could not be given (reaction, reply, check run), for the log and summary. */
  feedbackProblems: string[];
}

type Feedback = Pick<HandleCommandRequest, 'octokit' | 'repo' | 'event' | 'log'> & { problems: string[] };

/**
 * Answers one `issue_comment`: screens it (edited, bots, plain issues: silent, no API call),
 * parses the first line against the allowlist, reacts 👀, reads the commenter's permission by
 * exact login and the pull request as it is now, and decides with {@link authorizeCommand}.
 * Then it reacts 🚀 or 😕, replies with the reason on denial or failure (or the command list for
 * help), and records the result as a check run on the head commit. The comment's text is never
 * echoed except escaped inside a reason. Feedback failures are reported, never fatal.
 */
export async function handleCommand(request: HandleCommandRequest): Promise<CommandOutcome> {
  const { event, prefix } = request;
  const base = { command: '' as const, args: '', headSha: '', prNumber: event.issueNumber, feedbackProblems: [] };
  const screened = screenComment({
    action: event.action,
    authorLogin: event.author.login,
    authorType: event.author.type,
    onPullRequest: event.onPullRequest,
  });
  if (screened) return { ...base, status: 'ignored', reason: screened.reason };
  const parsed = parseCommand(event.body, { prefix, commands: request.commands });
  if (!parsed.ok && parsed.kind === 'not-a-command') return { ...base, status: 'ignored', reason: parsed.reason };

  const feedback: Feedback = { ...request, problems: [] };
  if (!parsed.ok) {
    const outcome: CommandOutcome = {
      ...base,
      status: 'denied',
      reason: `the command was not understood: ${neutralize(parsed.reason)}`,
      feedbackProblems: feedback.problems,
    };
    await react(feedback, 'confused');
    await reply(feedback, `${outcome.reason}. Comment ${prefix}help for the commands.`);
    return outcome;
  }

  const command = parsed.command;
  await react(feedback, 'eyes');
  const outcome = await decide(request, command);
  outcome.feedbackProblems = feedback.problems;
  const said = `${prefix}${command.name}`;
  if (outcome.status === 'allowed') {
    await react(feedback, 'rocket');
    if (command.name === 'help')
      await reply(feedback, `these commands work here:\n\n${renderCommandHelp(prefix, request.commands)}`);
  } else {
    await react(feedback, 'confused');
    await reply(feedback, `${said} was not run: ${outcome.reason}.`);
  }
  if (request.checkName && outcome.headSha && command.name !== 'help')
    await recordCheckRun(request, feedback, outcome, said);
  return outcome;
}

async function decide(request: HandleCommandRequest, command: Command): Promise<CommandOutcome> {
  const args = command.name === 'deploy' ? (command.sha ?? '') : command.name === 'extend' ? command.duration.text : '';
  const base = { command: command.name, args, prNumber: request.event.issueNumber, feedbackProblems: [] };
  let gathered;
  try {
    gathered = await gatherCommandRequest({
      octokit: request.octokit,
      repo: request.repo,
      event: request.event,
      command,
      allowedRoles: request.allowedRoles,
      allowForks: request.allowForks,
    });
  } catch (error) {
    const status = readHttpStatus(error);
    request.log.debug(`Reading pull request #${request.event.issueNumber} failed: ${(error as Error).message}`);
    return {
      ...base,
      status: 'failed',
      headSha: '',
      reason: `could not read pull request #${request.event.issueNumber}${status ? ` (HTTP ${status})` : ''}`,
    };
  }
  const headSha = gathered.pullRequest.headSha.toLowerCase();
  const decision = authorizeCommand(gathered);
  if (decision.decision !== 'allow') return { ...base, status: 'denied', headSha, reason: decision.reason };
  const outcome: CommandOutcome = {
    ...base,
    status: 'allowed',
    headSha: decision.sha,
    reason: gathered.permission.reason,
  };
  if (command.name === 'extend') {
    const extended = extendExpiry(request.now, request.now, command.duration.text, request.maxExtendMs);
    outcome.expiresAt = extended.expiresAt;
    if (extended.capped) outcome.reason += `; the expiry was capped at ${extended.expiresAt.toISOString()}`;
  }
  return outcome;
}

/** Keeps comment text quoted inside a reason from meaning anything to markdown, HTML or a shell. */
function neutralize(text: string): string {
  return text.replace(/[^A-Za-z0-9 ,.;:'"/!?#()_+=%-]/g, '?');
}

async function react(feedback: Feedback, content: CommandReaction): Promise<void> {
  await attempt(feedback, `add the ${content} reaction`, 'issues: write', () =>
    addReaction({ octokit: feedback.octokit, repo: feedback.repo, commentId: feedback.event.commentId, content }),
  );
}

async function reply(feedback: Feedback, text: string): Promise<void> {
  const [first = '', ...rest] = text.split('\n\n');
  const body = [escapeMarkdown(first), ...rest].join('\n\n');
  await attempt(feedback, 'reply', 'issues: write', () =>
    createReplyComment({
      octokit: feedback.octokit,
      repo: feedback.repo,
      issueNumber: feedback.event.issueNumber,
      mention: feedback.event.author.login,
      body,
    }),
  );
}

async function recordCheckRun(
  request: HandleCommandRequest,
  feedback: Feedback,
  outcome: CommandOutcome,
  said: string,
): Promise<void> {
  const conclusion: CheckConclusion =
    outcome.status === 'allowed' ? 'success' : outcome.status === 'failed' ? 'failure' : 'neutral';
  const verb = outcome.status === 'allowed' ? 'accepted' : outcome.status === 'failed' ? 'failed' : 'denied';
  await attempt(feedback, 'create the check run', 'checks: write', () =>
    createCompletedCheckRun({
      octokit: request.octokit,
      repo: request.repo,
      headSha: outcome.headSha,
      name: request.checkName,
      conclusion,
      title: `${said} ${verb}`,
      summary: `${escapeMarkdown(`${said} from @${request.event.author.login} ${verb}: ${outcome.reason}`)}\n`,
      startedAt: request.now,
      ...(request.detailsUrl ? { detailsUrl: request.detailsUrl } : {}),
    }),
  );
}

async function attempt(
  feedback: Feedback,
  what: string,
  permission: string,
  work: () => Promise<unknown>,
): Promise<void> {
  try {
    await work();
  } catch (error) {
    const status = readHttpStatus(error);
    const hint = status === 403 || status === 404 ? `; the token needs '${permission}'` : '';
    const problem = `could not ${what}${status ? ` (HTTP ${status})` : ''}${hint}`;
    feedback.problems.push(problem);
    feedback.log.warning(`${problem}: ${(error as Error).message.split('\n')[0]}`);
  }
}
