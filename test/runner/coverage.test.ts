import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { computeWorkflowCoverage, listCoverageIds } from './coverage.js';
import { fixture, push, runFixture } from './fixtures/run-fixture.js';

describe('workflow coverage', () => {
  it('counts executed jobs and steps per file, not skipped ones, across runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'coverage-'));
    await runFixture('timeout.yml', push(), { coverageDir: dir });
    const [timeouts, untouched] = await computeWorkflowCoverage(dir, [fixture('timeout.yml'), fixture('basics.yml')]);
    // 2 jobs + 5 steps; job-timeout's 'normal' step is skipped.
    expect(timeouts).toEqual({
      file: fixture('timeout.yml'),
      executed: 6,
      total: 7,
      missing: ['job-timeout/2'],
    });
    expect(untouched).toMatchObject({ executed: 0, total: 5 });
  });

  it('lists every shipped template and the release composite by default', async () => {
    const files = (await computeWorkflowCoverage(mkdtempSync(join(tmpdir(), 'coverage-')))).map((f) => f.file);
    expect(files).toEqual(expect.arrayContaining(['.github/workflow-templates/release.yml', 'release/action.yml']));
    expect(await listCoverageIds('release/action.yml')).toEqual(['0', '1', '2', '3']);
  });
});
