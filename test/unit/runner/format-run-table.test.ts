import { describe, expect, it } from '@jest/globals';
import { formatRunTable } from '../../runner/format-run-table.js';
import type { RunRecord, StepRecord } from '../../runner/run-result.js';

const step = (name: string, outcome: StepRecord['outcome'], conclusion = outcome): StepRecord => ({
  id: name,
  name,
  outcome,
  conclusion,
  outputs: {},
  durationMs: 1500,
});

const run: RunRecord = {
  id: 1,
  workflow: 'w.yml',
  eventName: 'push',
  status: 'completed',
  conclusion: 'success',
  log: [],
  jobs: [
    {
      id: 'deploy',
      name: 'deploy',
      result: 'success',
      outputs: {},
      durationMs: 12_345,
      steps: [
        step('Run org/preview-actions/deploy-pr-env@v1', 'success'),
        step(`Run ${'a'.repeat(40)} ${'b'.repeat(40)}`, 'failure', 'success'),
        step(`Run ${'x'.repeat(90)}`, 'success'),
      ],
    },
  ],
};

describe('formatRunTable', () => {
  const lines = formatRunTable(run).split('\n');

  it('has a heading, a line per job and per step, outcome → conclusion under continue-on-error', () => {
    expect(lines[0]).toMatch(/^job +step +outcome +duration$/);
    expect(lines[1]).toMatch(/^deploy +success +12\.3s$/);
    expect(lines[2]).toMatch(/^ +Run org\/preview-actions\/deploy-pr-env@v1 +success +1\.5s$/);
    expect(lines[3]).toMatch(/ failure → success +1\.5s$/);
  });

  it('cuts a long cell at a word when there is one, marking the cut, and keeps the columns aligned', () => {
    expect(lines[3]).toContain(`Run ${'a'.repeat(40)}… `);
    expect(lines[4]).toContain(`Run ${'x'.repeat(65)}… `);
    const outcomeColumn = lines[0]!.indexOf('outcome');
    for (const line of lines.slice(2)) expect(line.slice(outcomeColumn - 2, outcomeColumn)).toBe('  ');
  });
});
