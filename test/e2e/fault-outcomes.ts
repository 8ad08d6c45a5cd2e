import { expect } from '@jest/globals';
import type { ActionRun } from '../harness/index.js';
import type { FaultProxyClient } from '../sandbox/fault-proxy/client.js';
import { globMatches, type FaultRuleSpec } from '../sandbox/fault-proxy/rules.js';

// What issue 7 asks of every faulted action run, shared by the fault suites.

/** A V8 stack frame, as it would leak from an unhandled error. */
const STACK_FRAME = /\bat \S+ \(|\bat (?:file|node):|\.js:\d+:\d+/;

/** Success with no error annotation, or exit 1 with exactly one error annotation: one line, no stack, short. */
export function expectOneClearOutcome(run: ActionRun): void {
  const errors = run.annotations.filter((a) => a.level === 'error').map((a) => a.message);
  if (run.exitCode === 0) {
    expect(errors).toEqual([]);
    return;
  }
  // the whole outcome is compared so a red test shows the run's own error lines
  expect({ exitCode: run.exitCode, errors: errors.length }).toEqual({ exitCode: 1, errors: 1 });
  expect(errors.filter((e) => /[\r\n]/.test(e) || STACK_FRAME.test(e) || e.length >= 2048)).toEqual([]);
}

/**
 * Runs `body` with `rules` active on the proxy, then removes them. Fails when a rule matched no call: a
 * scenario whose fault could not happen proves nothing.
 */
export async function withFaultRules<T>(
  faults: FaultProxyClient,
  rules: FaultRuleSpec[],
  body: () => Promise<T>,
): Promise<T> {
  const added = await faults.addRules(...rules);
  try {
    const result = await body();
    const active = await faults.rules();
    const idle = added.filter((rule) => (active.find((r) => r.id === rule.id)?.matched ?? 0) === 0);
    expect(idle.map(({ target, operation }) => `${target} ${operation}`)).toEqual([]);
    return result;
  } finally {
    for (const rule of added) await faults.removeRule(rule.id);
  }
}

/** Mutating calls to `target` (optionally only operations matching the glob `operation`) since the last reset. */
export async function countMutatingCalls(faults: FaultProxyClient, target: string, operation = '*'): Promise<number> {
  return Object.entries((await faults.counters())[target] ?? {})
    .filter(([name]) => globMatches(operation, name))
    .reduce((sum, [, c]) => sum + c.mutating, 0);
}
