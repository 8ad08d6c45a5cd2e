import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { repoRoot } from '../harness/paths.js';
import { loadWorkflow } from './load-workflow.js';
import { readActionTemplate } from '../harness/action-template.js';

/** The test-process variable naming the folder coverage lines go to (e.g. `.test-results/workflow-coverage`). */
export const WORKFLOW_COVERAGE_VARIABLE = 'PREVIEW_ACTIONS_WORKFLOW_COVERAGE';

/** One executed (not skipped) job or step: `<jobId>` or `<jobId>/<step index>` (composite: `<step index>`). */
export interface CoverageLine {
  file: string;
  id: string;
}

/** Appends one executed job or step to `<dir>/<pid>.jsonl`; a no-op without a folder. */
export function recordCoverage(dir: string | undefined, file: string, id: string): void {
  if (!dir) return;
  const folder = isAbsolute(dir) ? dir : join(repoRoot, dir);
  mkdirSync(folder, { recursive: true });
  appendFileSync(join(folder, `${process.pid}.jsonl`), `${JSON.stringify({ file, id } satisfies CoverageLine)}\n`);
}

export interface FileCoverage {
  file: string;
  executed: number;
  total: number;
  /** Job and step ids never executed. */
  missing: string[];
}

/** Every job and step id a file has: a workflow's `<job>` and `<job>/<i>`, a composite action's `<i>`. */
export async function listCoverageIds(file: string): Promise<string[]> {
  if (file.endsWith('action.yml')) {
    const runs = readActionTemplate(join(repoRoot, file)).template.runs;
    return 'steps' in runs ? runs.steps.map((_, i) => String(i)) : [];
  }
  const { template } = await loadWorkflow(join(repoRoot, file));
  return template.jobs.flatMap((job) => [
    job.id.value,
    ...('steps' in job ? job.steps.map((_, i) => `${job.id.value}/${i}`) : []),
  ]);
}

/**
 * Executed/total per file over everything recorded in `dir`, for the given files (default: every shipped
 * workflow template and the release composite).
 */
export async function computeWorkflowCoverage(dir: string, files?: string[]): Promise<FileCoverage[]> {
  const folder = isAbsolute(dir) ? dir : join(repoRoot, dir);
  const seen = new Set<string>();
  if (existsSync(folder)) {
    for (const name of readdirSync(folder).filter((n) => n.endsWith('.jsonl'))) {
      for (const line of readFileSync(join(folder, name), 'utf8').split('\n').filter(Boolean)) {
        const entry = JSON.parse(line) as CoverageLine;
        seen.add(`${entry.file}#${entry.id}`);
      }
    }
  }
  const targets =
    files ??
    [
      ...readdirSync(join(repoRoot, '.github/workflow-templates'))
        .filter((n) => n.endsWith('.yml'))
        .map((n) => `.github/workflow-templates/${n}`),
      'release/action.yml',
    ].sort();
  const result: FileCoverage[] = [];
  for (const file of targets) {
    const ids = await listCoverageIds(file);
    const missing = ids.filter((id) => !seen.has(`${file}#${id}`));
    result.push({ file, executed: ids.length - missing.length, total: ids.length, missing });
  }
  return result;
}
