import { code, escapeMarkdown, renderTable, type Cell } from '../action/summary.js';
import type { CommandName } from '../chatops/command.js';
import type { EnvironmentFacts, EnvironmentStatus, ServiceFacts } from './environment-facts.js';
import { renderCommandHelp } from './render-command-help.js';
import { renderLink } from './safe-link.js';

/** How the environment comment presents commands. */
export interface EnvironmentCommentOptions {
  commandPrefix?: string;
  commands?: readonly CommandName[];
}

const HEADLINE: Record<EnvironmentStatus, string> = {
  deploying: '⏳ Deploying',
  deployed: '🚀 Deployed',
  failed: '❌ Deploy failed',
  hibernated: '💤 Hibernated',
  destroyed: '🧹 Removed',
};

const LIVE: ReadonlySet<EnvironmentStatus> = new Set(['deploying', 'deployed', 'failed']);

/**
 * The built-in body of the preview environment's sticky comment: status, a link per service with
 * its health check and logs, how to log in, when and by which rule it ends (its expiry, or inactivity), what it
 * costs a day and the commands.
 * Every fact is untrusted text, so each is escaped or rendered as a checked http(s) link.
 * Deterministic for the same facts, so an unchanged environment costs no comment edit.
 */
export function renderEnvironmentComment(facts: EnvironmentFacts, options: EnvironmentCommentOptions = {}): string {
  const parts = [`### Preview environment ${code(`pr-${facts.prNumber}`)}: ${HEADLINE[facts.status]}\n`];
  const source = renderSource(facts);
  if (source) parts.push(source);
  if (facts.message) parts.push(`> ${escapeMarkdown(facts.message)}\n`);
  if (LIVE.has(facts.status) && facts.services.length > 0) parts.push(renderServices(facts.services));
  const details = renderDetailsList(facts);
  if (details) parts.push(details);
  if (facts.status !== 'destroyed') {
    parts.push(
      `<details><summary>Commands</summary>\n\n${renderCommandHelp(options.commandPrefix, options.commands)}\n</details>\n`,
    );
  }
  return parts.join('\n');
}

function renderSource(facts: EnvironmentFacts): string | undefined {
  const bits: string[] = [];
  if (facts.title) bits.push(`**${escapeMarkdown(facts.title)}**`);
  if (facts.branch) bits.push(`branch ${code(facts.branch)}`);
  if (facts.sha) bits.push(`commit ${code(facts.sha.slice(0, 12))}`);
  return bits.length > 0 ? `${bits.join(', ')}\n` : undefined;
}

function renderServices(services: readonly ServiceFacts[]): string {
  const withStatus = services.some((s) => s.status);
  const headers = ['Service', 'URL', 'Health', 'Logs', ...(withStatus ? ['Status'] : [])];
  const rows = services.map((s): Cell[] => [
    s.name,
    s.url ? { markdown: renderLink(s.url) } : '',
    s.healthUrl ? { markdown: renderLink(s.healthUrl, 'health') } : '',
    s.logsUrl ? { markdown: renderLink(s.logsUrl, 'logs') } : '',
    ...(withStatus ? [s.status ?? ''] : []),
  ]);
  return renderTable(headers, rows);
}

function renderDetailsList(facts: EnvironmentFacts): string | undefined {
  const lines: string[] = [];
  if (facts.logsUrl && facts.status !== 'destroyed') lines.push(`- Logs: ${renderLink(facts.logsUrl, 'all services')}`);
  if (facts.basicAuth) {
    lines.push(`- Login: user ${code(facts.basicAuth.username)}, password ${code(facts.basicAuth.password)}`);
  } else if (facts.protectedByBasicAuth && LIVE.has(facts.status)) {
    lines.push('- Login: protected by basic auth; ask a maintainer for the credentials');
  }
  // Which rule ends the environment: a real expiry (ttl-hours, deploy-pr-env's expires-at) or, without one,
  // inactivity; a deployed environment without an expiry says so rather than saying nothing.
  if (facts.expiresAt && facts.status !== 'destroyed') {
    lines.push(`- Expires: ${formatTime(facts.expiresAt)}, then hibernated, and deleted after a grace period`);
  } else if (facts.status === 'deployed') {
    lines.push('- Expires: not by time; hibernated after a period without activity, then deleted after a grace period');
  }
  if (facts.costPerDayUsd !== undefined && LIVE.has(facts.status)) {
    lines.push(`- Estimated cost: $${facts.costPerDayUsd.toFixed(2)} per day`);
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : undefined;
}

function formatTime(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
