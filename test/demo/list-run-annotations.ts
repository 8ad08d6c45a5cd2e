import type { RunRecord } from '../runner/run-result.js';

/** A `::warning::` / `::error::` / `::notice::` a run's steps wrote, as GitHub shows it on the run's page. */
export interface RunAnnotation {
  level: 'error' | 'warning' | 'notice';
  /** `job/step` as in the run's log. */
  where: string;
  message: string;
}

const ANNOTATION = /^\[([^\]]+)\] ::(error|warning|notice)(?: [^:]*)?::(.*)$/;

/** The annotations in a run's log, in order (workflow-command escapes %0A, %0D, %25 undone). */
export function listRunAnnotations(run: RunRecord): RunAnnotation[] {
  return run.log.flatMap((line) => {
    const match = ANNOTATION.exec(line);
    if (!match) return [];
    const message = match[3]!.replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%');
    return [{ where: match[1]!, level: match[2] as RunAnnotation['level'], message }];
  });
}
