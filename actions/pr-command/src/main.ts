import {
  type ActionContext,
  ConfigurationError,
  readInputs,
  ReportedFailure,
  renderHeading,
  renderTable,
  writeOutputs,
} from '@preview-actions/core/action';
import { type CommandName, readCommentEvent, validateCommandOptions } from '@preview-actions/core/chatops';
import { handleCommand } from '@preview-actions/core/comment';
import { parseDuration } from '@preview-actions/core/preview';
import { inputs, type outputs } from './contract.js';

const ROLE = /^[a-z][a-z0-9_-]{0,39}$/;

function splitWords(text: string): string[] {
  return text.split(/[\s,]+/).filter(Boolean);
}

function readRoles(text: string): string[] {
  const roles = splitWords(text.toLowerCase());
  if (roles.length === 0 || !roles.every((role) => ROLE.test(role))) {
    throw new ConfigurationError("Input 'allowed-permissions' must list roles such as write,maintain,admin");
  }
  return roles;
}

/** Reads a pull-request comment command, decides whether it may run, and answers on the pull request. */
export async function run(ctx: ActionContext): Promise<void> {
  const values = readInputs(ctx.io, inputs);
  ctx.io.setSecret(values['github-token']);
  const prefix = values['command-prefix'];
  const commands = splitWords(values.commands) as CommandName[];
  validateCommandOptions({ prefix, commands });
  const allowedRoles = readRoles(values['allowed-permissions']);
  const maxExtendMs = parseDuration(values['max-extend']);
  if (ctx.run.eventName !== 'issue_comment') {
    throw new ConfigurationError(
      `pr-command runs on issue_comment events, not ${ctx.run.eventName || 'none'}: trigger it with on: issue_comment (types: [created])`,
    );
  }
  const event = readCommentEvent(ctx.run.payload);

  const octokit = await ctx.github(values['github-token']);
  const { owner, repo } = ctx.run.repo;
  const outcome = await handleCommand({
    octokit,
    repo: ctx.run.repo,
    event,
    prefix,
    commands,
    allowedRoles,
    allowForks: values['allow-forks'],
    checkName: values['check-name'],
    maxExtendMs,
    now: ctx.clock.now(),
    log: ctx.log,
    detailsUrl: `${ctx.run.serverUrl}/${owner}/${repo}/actions/runs/${ctx.run.runId}`,
  });

  const out: Record<keyof typeof outputs, string> = {
    command: outcome.command,
    args: outcome.args,
    allowed: String(outcome.status === 'allowed'),
    reason: outcome.reason,
    'head-sha': outcome.headSha,
    'pr-number': String(outcome.prNumber),
    'expires-at': outcome.expiresAt?.toISOString() ?? '',
    status: outcome.status,
  };
  writeOutputs(ctx.io, out);
  const said = outcome.command ? `${prefix}${outcome.command}` : 'comment';
  ctx.log.info(`${said} on #${outcome.prNumber} from @${event.author.login}: ${outcome.status} (${outcome.reason})`);
  const rows = Object.entries(out).map(([key, value]) => [key, value]);
  for (const problem of outcome.feedbackProblems) rows.push(['feedback problem', problem]);
  await ctx.io.appendSummary(
    renderHeading(`Command on #${outcome.prNumber}: ${outcome.status}`) + renderTable(['Output', 'Value'], rows),
  );
  if (outcome.status === 'failed')
    throw new ReportedFailure(`${said} on #${outcome.prNumber} failed: ${outcome.reason}`);
}
