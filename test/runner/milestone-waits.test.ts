import { describe, expect, it } from '@jest/globals';
import { createFixtureWorld, dispatch, fixture } from './fixtures/run-fixture.js';

describe('waiting for a milestone the run never reaches', () => {
  it('jobQueued on a job without concurrency: fails once the run ends, naming the job', async () => {
    const { world } = createFixtureWorld();
    const run = world.queue(fixture('concurrency.yml'), dispatch());
    // concurrency.yml's group is workflow-level: its job 'work' never enters a group of its own.
    await expect(world.jobQueued(run, 'work')).rejects.toThrow(
      `run ${run.id} of ${fixture('concurrency.yml')} ended (completed, success) and job 'work' never entered a concurrency group (does it exist and have concurrency:?)`,
    );
    await world.settle();
  });

  it('stepStarted on a step the job does not have: fails once the run ends, naming the step', async () => {
    const { world } = createFixtureWorld();
    const run = world.queue(fixture('concurrency.yml'), dispatch());
    await expect(world.stepStarted(run, 'work', 'No such step')).rejects.toThrow(
      "and step 'No such step' of job 'work' never started",
    );
    await world.settle();
  });

  it('still resolves for a job that does enter its group', async () => {
    const { world } = createFixtureWorld();
    const run = world.queue(fixture('job-concurrency.yml'), dispatch({ target: 'prod' }));
    await expect(world.jobQueued(run, 'deploy')).resolves.toBeUndefined();
    await world.settle();
  });
});
