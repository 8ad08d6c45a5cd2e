import { toOneLine } from '../action/quote.js';
import { renderTable } from '../action/summary.js';
import type { DeploymentFacts, ServiceDiagnostics, StoppedTask } from './collect-diagnostics.js';

function formatTime(at: Date | undefined): string {
  return at ? at.toISOString() : 'unknown time';
}

function taskId(arn: string): string {
  return arn.split('/').pop() || arn;
}

function describeContainers(task: StoppedTask): string {
  return task.containers
    .filter((c) => c.exitCode !== undefined || c.reason)
    .map((c) => {
      const exit = c.exitCode === undefined ? '' : ` exit ${c.exitCode}`;
      return `${c.name ?? 'container'}${exit}${c.reason ? `: ${c.reason}` : ''}`;
    })
    .join('; ');
}

function describeStop(task: StoppedTask): string {
  const code = task.stopCode ? ` (${task.stopCode})` : '';
  const containers = describeContainers(task);
  return `${task.stoppedReason ?? 'no reason given'}${code}${containers ? `; ${containers}` : ''}`;
}

function describeDeployment(d: DeploymentFacts): string {
  const reasons = [d.statusReason, d.rollbackReason && `rollback: ${d.rollbackReason}`].filter(Boolean);
  return `${d.status}${reasons.length > 0 ? `: ${reasons.join('; ')}` : ''}`;
}

/** One fact about one service: when, what kind, and what it says. */
interface DiagnosticRow {
  service: string;
  at?: Date;
  kind: 'deployment' | 'event' | 'stopped task' | 'unreadable';
  what: string;
}

/**
 * Every fact of every service as rows, newest first: ECS's verdict on the deployment leads
 * (it is the one line that says what happened), then service events and stopped tasks merged by
 * time, so the first rows are the ones that explain the failure.
 */
function toRows(diagnostics: readonly ServiceDiagnostics[]): DiagnosticRow[] {
  const verdicts: DiagnosticRow[] = [];
  const facts: DiagnosticRow[] = [];
  for (const d of diagnostics) {
    if (d.deployment) {
      verdicts.push({
        service: d.service,
        at: d.deployment.createdAt,
        kind: 'deployment',
        what: describeDeployment(d.deployment),
      });
    }
    if (d.error) verdicts.push({ service: d.service, kind: 'unreadable', what: d.error });
    for (const e of d.events) facts.push({ service: d.service, at: e.at, kind: 'event', what: e.message });
    for (const t of d.stoppedTasks) {
      facts.push({
        service: d.service,
        at: t.stoppedAt,
        kind: 'stopped task',
        what: `${taskId(t.taskArn)}: ${describeStop(t)}`,
      });
    }
  }
  facts.sort((a, b) => (b.at?.getTime() ?? 0) - (a.at?.getTime() ?? 0));
  return [...verdicts, ...facts];
}

/**
 * Renders the diagnostics of every service as one markdown table (Time, Service, Kind, What),
 * ECS's deployment verdict first, then events and stopped tasks newest first. Everything that
 * came from AWS is escaped.
 */
export function renderDiagnosticsMarkdown(diagnostics: readonly ServiceDiagnostics[]): string {
  const rows = toRows(diagnostics);
  if (rows.length === 0) return '_No deployment record, service events or stopped tasks were recorded._\n';
  return renderTable(
    ['Time', 'Service', 'Kind', 'What'],
    rows.map((r) => [r.at ? formatTime(r.at) : '—', r.service, r.kind, r.what]),
  );
}

/**
 * Renders diagnostics as log lines, the same rows as the table, each folded to one line and
 * prefixed with the service name so no AWS text can start a workflow command.
 */
export function renderDiagnosticsLog(diagnostics: readonly ServiceDiagnostics[]): string[] {
  const rows = toRows(diagnostics);
  const lines = rows.map((r) => `[${r.service}] ${r.kind}${r.at ? ` ${formatTime(r.at)}` : ''}: ${r.what}`);
  for (const d of diagnostics) {
    if (!rows.some((r) => r.service === d.service))
      lines.push(`[${d.service}] no service events or stopped tasks were recorded`);
  }
  return lines.map(toOneLine);
}
