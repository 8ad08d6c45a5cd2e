import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import {
  type ActionContext,
  ConfigurationError,
  readInputs,
  renderDetails,
  renderHeading,
  renderTable,
  writeOutputs,
} from '@preview-actions/core/action';
import { type CommandName, validateCommandOptions } from '@preview-actions/core/chatops';
import {
  type EnvironmentFacts,
  type EnvironmentStatus,
  postStickyComment,
  readDeployedFacts,
  readDisplayUrl,
  redactValues,
  renderEnvironmentComment,
} from '@preview-actions/core/comment';
import { formatStickyMarker } from '@preview-actions/core/github';
import { inputs, type outputs } from './contract.js';

type Values = ReturnType<typeof readInputs<typeof inputs>>;

interface EventPullRequest {
  number?: number;
  title?: string;
  head?: { sha?: string; ref?: string };
}

function readEventPullRequest(payload: Record<string, unknown>): EventPullRequest {
  return (payload.pull_request as EventPullRequest | undefined) ?? {};
}

function readIssueNumber(values: Values, payload: Record<string, unknown>): number {
  if (values['pr-number']) return Number(values['pr-number']);
  const number = readEventPullRequest(payload).number ?? (payload.issue as { number?: number } | undefined)?.number;
  if (typeof number !== 'number') {
    throw new ConfigurationError(
      "No pull request in this event: set 'pr-number', e.g. to pr-command's pr-number output",
    );
  }
  return number;
}

function readBasicAuth(values: Values): { username: string; password: string } | undefined {
  const raw = values['basic-auth'];
  if (!raw) return undefined;
  const colon = raw.indexOf(':');
  if (colon <= 0 || colon === raw.length - 1) throw new ConfigurationError("Input 'basic-auth' must be user:password");
  return { username: raw.slice(0, colon), password: raw.slice(colon + 1) };
}

function readBodyFile(path: string, workspace: string): string {
  const full = isAbsolute(path) ? path : resolve(workspace, path);
  try {
    return readFileSync(full, 'utf8');
  } catch (error) {
    throw new ConfigurationError(
      `Input 'body-file' names ${full}, which cannot be read (${(error as NodeJS.ErrnoException).code}): write the file first`,
    );
  }
}

function readCommands(text: string, prefix: string): CommandName[] {
  const commands = text.split(/[\s,]+/).filter(Boolean) as CommandName[];
  validateCommandOptions({ prefix, commands });
  return commands;
}

function buildEnvironmentFacts(
  ctx: ActionContext,
  values: Values,
  prNumber: number,
  basicAuth: EnvironmentFacts['basicAuth'],
): EnvironmentFacts {
  if (!values.status) {
    throw new ConfigurationError(
      "Nothing to post: set 'body', 'body-file', or 'status' (with deploy-pr-env's outputs) for the environment template",
    );
  }
  const deployed = readDeployedFacts({
    urls: values.urls,
    services: values.services,
    expiresAt: values['expires-at'],
    estimatedCostPerDay: values['estimated-cost-per-day'],
  });
  const pull = readEventPullRequest(ctx.run.payload);
  const urlCredentials = deployed.services.some((s) =>
    [s.url, s.healthUrl, s.logsUrl].some((u) => u && readDisplayUrl(u)?.username),
  );
  const facts: EnvironmentFacts = {
    ...deployed,
    status: values.status as EnvironmentStatus,
    prNumber,
    protectedByBasicAuth: Boolean(basicAuth) || urlCredentials,
  };
  const branch = values.branch || pull.head?.ref;
  const sha = values.sha || pull.head?.sha;
  const title = values.title || pull.title;
  if (branch) facts.branch = branch;
  if (sha) facts.sha = sha;
  if (title) facts.title = title;
  if (values.message) facts.message = values.message;
  if (values['logs-url']) facts.logsUrl = values['logs-url'];
  if (basicAuth && values['credentials-in-comment']) facts.basicAuth = basicAuth;
  return facts;
}

/** The passwords carried by basic-auth and by any URL given to the template. */
function collectSecrets(values: Values, basicAuth: EnvironmentFacts['basicAuth']): string[] {
  const secrets = basicAuth ? [basicAuth.password, `${basicAuth.username}:${basicAuth.password}`] : [];
  const text = `${values.urls}\n${values.services}\n${values['logs-url']}`;
  for (const match of text.matchAll(/https?:\/\/[^\s"'/@]*@/g)) {
    const display = readDisplayUrl(`${match[0]}x.invalid`);
    if (display?.password) secrets.push(display.password);
  }
  return secrets;
}

/** Writes, deletes or hides the pull request's sticky comment for one header. */
export async function run(ctx: ActionContext): Promise<void> {
  const values = readInputs(ctx.io, inputs);
  ctx.io.setSecret(values['github-token']);
  formatStickyMarker(values.header);
  const basicAuth = readBasicAuth(values);
  const secrets = collectSecrets(values, basicAuth);
  for (const secret of secrets) ctx.io.setSecret(secret);
  const prNumber = readIssueNumber(values, ctx.run.payload);
  if (values.body && values['body-file'])
    throw new ConfigurationError("Inputs 'body' and 'body-file' are both set: keep one");
  const commands = readCommands(values.commands, values['command-prefix']);

  let content: string | undefined;
  if (values.mode === 'upsert') {
    if (values.body) content = values.body;
    else if (values['body-file'])
      content = readBodyFile(values['body-file'], ctx.env.GITHUB_WORKSPACE ?? process.cwd());
    else {
      const facts = buildEnvironmentFacts(ctx, values, prNumber, basicAuth);
      content = renderEnvironmentComment(facts, { commandPrefix: values['command-prefix'], commands });
    }
  }

  const octokit = await ctx.github(values['github-token']);
  const result = await postStickyComment({
    octokit,
    repo: ctx.run.repo,
    issueNumber: prNumber,
    header: values.header,
    mode: values.mode,
    run: { runId: ctx.run.runId, runAttempt: ctx.run.runAttempt },
    redact: values['credentials-in-comment'] ? [] : secrets,
    log: ctx.log,
    ...(content !== undefined ? { content } : {}),
    ...(values['comment-author'] ? { login: values['comment-author'] } : {}),
  });
  const out: Record<keyof typeof outputs, string> = {
    result: result.action,
    'comment-id': result.commentId ? String(result.commentId) : '',
    'comment-url': result.url ?? '',
    truncated: String(result.truncated),
  };
  writeOutputs(ctx.io, out);
  ctx.log.info(
    `Sticky comment '${values.header}' on #${prNumber}: ${result.action}${result.url ? ` (${result.url})` : ''}`,
  );
  let summary =
    renderHeading(`Pull request comment '${values.header}' on #${prNumber}`) +
    renderTable(
      ['Output', 'Value'],
      Object.entries(out).map(([key, value]) => [key, value]),
    );
  if (result.truncated && content !== undefined)
    summary += `\n${renderDetails('The whole comment', values['credentials-in-comment'] ? content : redactValues(content, secrets))}`;
  await ctx.io.appendSummary(summary);
}
