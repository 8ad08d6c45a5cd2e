import { code, renderDetails, renderTable } from '../action/summary.js';
import { renderDiagnosticsMarkdown } from './render-diagnostics.js';
import type { ServiceWaitOutcome } from './wait-for-services.js';

const STATE_LABEL = { stable: '✅ stable', failed: '❌ failed', timeout: '⏱️ timed out' } as const;

/**
 * Renders waiter outcomes for a job summary: one table row per service, then one collapsed
 * diagnostics table (deployment verdicts, events, stopped tasks) for the services that did not
 * become stable.
 */
export function renderWaitOutcomesMarkdown(outcomes: readonly ServiceWaitOutcome[]): string {
  const table = renderTable(
    ['Service', 'Result', 'Deployment', 'Details'],
    outcomes.map((o) => [
      { markdown: code(o.service) },
      STATE_LABEL[o.state],
      o.deploymentId ? { markdown: code(o.deploymentId) } : '—',
      o.reason,
    ]),
  );
  const diagnostics = outcomes.flatMap((o) => (o.diagnostics ? [o.diagnostics] : []));
  if (diagnostics.length === 0) return table;
  const names = diagnostics.map((d) => d.service).join(', ');
  return [
    table,
    renderDetails(
      `Why ${names} ${diagnostics.length === 1 ? 'is' : 'are'} not stable`,
      renderDiagnosticsMarkdown(diagnostics),
    ),
  ].join('\n');
}
