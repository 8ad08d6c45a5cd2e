import type { RunRecord } from './run-result.js';

/** Widest a cell gets; a longer one is cut at a word and marked, so the columns stay readable. */
const CELL_LIMIT = 70;

function fit(cell: string): string {
  if (cell.length <= CELL_LIMIT) return cell;
  const cut = cell.slice(0, CELL_LIMIT - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > CELL_LIMIT / 2 ? cut.slice(0, space) : cut}…`;
}

/** The job/step table of a run (job, step, outcome, duration), as the runner CLI and `pnpm demo` print it. */
export function formatRunTable(run: RunRecord): string {
  const rows: string[][] = [['job', 'step', 'outcome', 'duration']];
  for (const job of run.jobs) {
    rows.push([job.id, '', job.result, `${(job.durationMs / 1000).toFixed(1)}s`]);
    for (const step of job.steps) {
      const outcome = step.outcome === step.conclusion ? step.outcome : `${step.outcome} → ${step.conclusion}`;
      rows.push(['', step.name, outcome, `${(step.durationMs / 1000).toFixed(1)}s`]);
      for (const inner of step.steps ?? [])
        rows.push(['', `  ${inner.name}`, inner.outcome, `${(inner.durationMs / 1000).toFixed(1)}s`]);
    }
  }
  const cells = rows.map((r) => r.map(fit));
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  return cells
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
