import { code, renderDetails, renderTable } from '../action/summary.js';
import { renderDiagnosticsMarkdown } from './render-diagnostics.js';
import type { ServiceWaitOutcome } from './wait-for-services.js';

const STATE_LABEL = { stable: '✅ stable', failed: '❌ failed', timeout: '⏱️ timed out' } as const;

/** The service deployment's id (the last segment of its ARN) when followed, else the deployment id. */
function deploymentCell(o: ServiceWaitOutcome): string | { markdown: string } {
  const id = o.serviceDeploymentArn?.split('/').pop() ?? o.deploymentId;
  return id ? { markdown: code(id) } : '—';
}

/**
 * Renders waiter outcomes for a job summary: one table row per service (warnings such as a
 * digest ECS did not record included), then one collapsed
 * diagnostics table (deployment verdicts, events, stopped tasks) for the services that did not
 * become stable.
 */
export function renderWaitOutcomesMarkdown(outcomes: readonly ServiceWaitOutcome[]): string {
  const table = renderTable(
    ['Service', 'Result', 'Deployment', 'Details'],
    outcomes.map((o) => [
      { markdown: code(o.service) },
      STATE_LABEL[o.state],
      deploymentCell(o),
      [o.reason, ...(o.warnings ?? []).map((w) => `⚠️ ${w}`)].join('; '),
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
