import { toOneLine } from '../action/quote.js';
import { code, escapeMarkdown, renderTable } from '../action/summary.js';
import type { ServiceDiagnostics, StoppedTask } from './collect-diagnostics.js';

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
  return `${task.stoppedReason ?? 'no reason given'}${code}`;
}

/**
 * Renders diagnostics as markdown for a job summary or comment: a section per service with
 * its latest events and stopped tasks. Everything that came from AWS is escaped.
 */
export function renderDiagnosticsMarkdown(diagnostics: readonly ServiceDiagnostics[]): string {
  return diagnostics
    .map((d) => {
      const parts = [`#### Service ${code(d.service)}\n`];
      if (d.error) parts.push(`_Some diagnostics could not be read: ${escapeMarkdown(d.error)}_\n`);
      if (d.events.length === 0 && d.stoppedTasks.length === 0) {
        parts.push('_No service events or stopped tasks were recorded._\n');
      }
      if (d.events.length > 0) {
        parts.push('**Latest events**\n');
        parts.push(
          renderTable(
            ['Time', 'Event'],
            d.events.map((e) => [formatTime(e.at), e.message]),
          ),
        );
      }
      if (d.stoppedTasks.length > 0) {
        parts.push('**Stopped tasks**\n');
        parts.push(
          renderTable(
            ['Task', 'Stopped at', 'Reason', 'Containers'],
            d.stoppedTasks.map((t) => [
              taskId(t.taskArn),
              formatTime(t.stoppedAt),
              describeStop(t),
              describeContainers(t) || '—',
            ]),
          ),
        );
      }
      return parts.join('\n');
    })
    .join('\n');
}

/**
 * Renders diagnostics as log lines, one fact per line, each folded to one line and
 * prefixed with the service name so no AWS text can start a workflow command.
 */
export function renderDiagnosticsLog(diagnostics: readonly ServiceDiagnostics[]): string[] {
  return diagnostics.flatMap((d) => {
    const prefix = `[${d.service}]`;
    const lines: string[] = [];
    if (d.error) lines.push(`${prefix} some diagnostics could not be read: ${d.error}`);
    for (const e of d.events) lines.push(`${prefix} event ${formatTime(e.at)}: ${e.message}`);
    for (const t of d.stoppedTasks) {
      const containers = describeContainers(t);
      lines.push(
        `${prefix} task ${taskId(t.taskArn)} stopped ${formatTime(t.stoppedAt)}: ${describeStop(t)}${containers ? `; ${containers}` : ''}`,
      );
    }
    if (lines.length === 0) lines.push(`${prefix} no service events or stopped tasks were recorded`);
    return lines.map(toOneLine);
  });
}
