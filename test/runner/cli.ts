/**
 * Runs one workflow template for one event against the sandbox and prints a job/step table:
 *   pnpm run-workflow <template> --event <file.json> [--event-name X] [--secret K=V] [--var K=V]
 *                     [--approve ENV | --reject ENV] [--changed-file PATH]
 * Without --event-name the event is guessed from the payload: workflow_dispatch when it has `inputs`,
 * issue_comment with `comment`, pull_request with `pull_request`, push otherwise. Exit 0 when the run succeeded
 * (or was not triggered), 1 otherwise.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ensureSandbox } from '../sandbox/ensure.js';
import { createSandboxWorld } from './sandbox-world.js';
import { formatRunTable } from './format-run-table.js';

function guessEventName(payload: Record<string, unknown>): string {
  if ('inputs' in payload) return 'workflow_dispatch';
  if ('comment' in payload) return 'issue_comment';
  if ('pull_request' in payload) return 'pull_request';
  return 'push';
}

function readPairs(values: string[] | undefined, flag: string): Record<string, string> {
  return Object.fromEntries(
    (values ?? []).map((pair) => {
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new Error(`${flag} takes K=V, got '${pair}'`);
      return [pair.slice(0, eq), pair.slice(eq + 1)];
    }),
  );
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      event: { type: 'string' },
      'event-name': { type: 'string' },
      secret: { type: 'string', multiple: true },
      var: { type: 'string', multiple: true },
      approve: { type: 'string', multiple: true },
      reject: { type: 'string', multiple: true },
      'changed-file': { type: 'string', multiple: true },
      quiet: { type: 'boolean' },
    },
  });
  const template = positionals[0];
  if (!template || !values.event) {
    console.error(
      'usage: pnpm run-workflow <template> --event <file.json> [--event-name X] [--secret K=V] [--var K=V] [--approve ENV|--reject ENV]',
    );
    return 2;
  }
  const payload = JSON.parse(readFileSync(values.event, 'utf8')) as Record<string, unknown>;
  const environments = {
    ...Object.fromEntries((values.approve ?? []).map((name) => [name, 'approve' as const])),
    ...Object.fromEntries((values.reject ?? []).map((name) => [name, 'reject' as const])),
  };
  const endpoints = await ensureSandbox();
  const world = await createSandboxWorld(endpoints, {
    secrets: readPairs(values.secret, '--secret'),
    vars: readPairs(values.var, '--var'),
    environments,
    ...(values.quiet ? {} : { onLog: (line: string) => console.log(line) }),
  });
  const handle = world.queue(template, {
    name: values['event-name'] ?? guessEventName(payload),
    payload,
    ...(values['changed-file'] ? { changedFiles: values['changed-file'] } : {}),
  });
  await world.settle();
  const run = await handle.result;
  console.log('');
  console.log(
    `${run.workflow} (${run.eventName}): ${run.status}, ${run.conclusion ?? '-'}${run.reason ? ` (${run.reason})` : ''}`,
  );
  if (run.error) console.log(`error: ${run.error}`);
  if (run.jobs.length) console.log(formatRunTable(run));
  return run.status === 'not-triggered' || run.conclusion === 'success' || run.conclusion === 'skipped' ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
