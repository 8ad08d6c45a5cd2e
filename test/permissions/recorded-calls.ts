import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Every operation one action made across all its recorded runs. */
export interface RecordedActionCalls {
  runs: number;
  aws: Set<string>;
  github: Set<string>;
}

/**
 * Reads `<dir>/<action>.jsonl` as written by the harness (test/harness/record-calls.ts) and merges the runs of each
 * action; throws when the folder holds no recordings, since an empty comparison would pass vacuously.
 */
export function readRecordedCalls(dir: string): Map<string, RecordedActionCalls> {
  const files = existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.jsonl')) : [];
  if (files.length === 0) {
    throw new Error(
      `No recorded calls in ${dir}: run the e2e suite with pnpm test (it sets PREVIEW_ACTIONS_RECORD_CALLS).`,
    );
  }
  const byAction = new Map<string, RecordedActionCalls>();
  for (const file of files.sort()) {
    const lines = readFileSync(join(dir, file), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '');
    for (const [index, line] of lines.entries()) {
      const run = parseRecordedRun(line, `${file}:${index + 1}`);
      const calls = byAction.get(run.action) ?? { runs: 0, aws: new Set<string>(), github: new Set<string>() };
      calls.runs += 1;
      for (const operation of run.aws) calls.aws.add(operation);
      for (const operation of run.github) calls.github.add(operation);
      byAction.set(run.action, calls);
    }
  }
  return byAction;
}

function parseRecordedRun(line: string, where: string): { action: string; aws: string[]; github: string[] } {
  const run = JSON.parse(line) as { action?: unknown; aws?: unknown; github?: unknown };
  const isList = (value: unknown): value is string[] =>
    Array.isArray(value) && value.every((item) => typeof item === 'string');
  if (typeof run.action !== 'string' || !isList(run.aws) || !isList(run.github)) {
    throw new Error(`${where}: a recorded run needs action, aws[] and github[]`);
  }
  return { action: run.action, aws: run.aws, github: run.github };
}
