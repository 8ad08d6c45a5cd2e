import { describe, expect, it } from '@jest/globals';
import { fixture, push, runFixture } from './fixtures/run-fixture.js';

describe('constructs the runner does not implement', () => {
  it.each([
    ['services.yml', "job 'db': 'services:' is not supported"],
    ['container.yml', "job 'boxed': 'container:' is not supported"],
    ['strategy.yml', "job 'matrix': 'strategy:' is not supported"],
    ['reusable.yml', "job 'call': a reusable workflow ('uses: octo-org/other/.github/workflows/build.yml@main')"],
    ['hashfiles.yml', "job 'cache': the expression"],
    ['python-shell.yml', "job 'py' step 1: shell 'python' is not supported"],
  ])('%s fails the run before anything runs, naming file, job and construct', async (name, message) => {
    const { run, tokens } = await runFixture(`refused/${name}`, push());
    expect(run).toMatchObject({ status: 'completed', conclusion: 'failure', jobs: [] });
    expect(run.error).toContain(fixture(`refused/${name}`));
    expect(run.error).toContain(message);
    expect(tokens).toEqual([]);
  });

  it('fails a job whose action is neither ours nor a stand-in at its set-up, before any step or token', async () => {
    const { run, tokens } = await runFixture('refused/unknown-uses.yml', push());
    expect(run).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(run.jobs).toEqual([expect.objectContaining({ id: 'build', result: 'failure', steps: [] })]);
    expect(run.jobs[0]!.error).toBe(
      `${fixture('refused/unknown-uses.yml')}: job 'build' step 1: no stand-in for actions/setup-node ('actions/setup-node@v4')`,
    );
    expect(tokens).toEqual([]);
  });
});
