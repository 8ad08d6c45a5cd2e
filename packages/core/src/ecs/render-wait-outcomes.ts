import { code, renderDetails, renderTable } from '../action/summary.js';
import { renderDiagnosticsMarkdown } from './render-diagnostics.js';
import type { ServiceWaitOutcome } from './wait-for-services.js';

const STATE_LABEL = { stable: '✅ stable', failed: '❌ failed', timeout: '⏱️ timed out' } as const;

/**
 * Renders waiter outcomes for a job summary: one table row per service, then a collapsed
 * section of events and stopped tasks for each service that did not become stable.
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
  const details = outcomes.flatMap((o) =>
    o.diagnostics ? [renderDetails(`Why ${o.service} is not stable`, renderDiagnosticsMarkdown([o.diagnostics]))] : [],
  );
  return [table, ...details].join('\n');
}
