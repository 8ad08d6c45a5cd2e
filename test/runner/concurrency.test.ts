import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { createFixtureWorld, dispatch, fixture } from './fixtures/run-fixture.js';

/** A gate file the Hold steps wait for; opening it lets them finish. */
function createGate() {
  const path = join(mkdtempSync(join(tmpdir(), 'gate-')), 'open');
  return { path, open: () => writeFileSync(path, '') };
}

const outcomes = (run: { jobs: { steps: { name: string; outcome: string }[] }[] }) =>
  Object.fromEntries(run.jobs.flatMap((j) => j.steps.map((s) => [s.name, s.outcome])));

describe('concurrency', () => {
  it('keeps one running and one pending per group: a newer run replaces the pending one', async () => {
    const gate = createGate();
    const { world } = createFixtureWorld({ vars: { GATE: gate.path } });
    const first = world.queue(fixture('concurrency.yml'), dispatch({ hold: 'true' }));
    await world.stepStarted(first, 'work', 'Hold');
    const second = world.queue(fixture('concurrency.yml'), dispatch());
    const third = world.queue(fixture('concurrency.yml'), dispatch());
    await world.admitted();
    gate.open();
    const runs = await world.settle();
    expect(runs.map((r) => [r.id, r.status, r.conclusion])).toEqual([
      [first.id, 'completed', 'success'],
      [second.id, 'cancelled', 'cancelled'],
      [third.id, 'completed', 'success'],
    ]);
    expect(runs[1]!.jobs).toEqual([]);
    expect(runs[0]!.concurrencyGroup).toBe('deploy-main');
  });

  it('cancel-in-progress cancels the running run: its step is killed, only always() steps run after it', async () => {
    const gate = createGate(); // never opened: only the cancellation ends the Hold step
    const { world } = createFixtureWorld({ vars: { GATE: gate.path } });
    const first = world.queue(fixture('concurrency.yml'), dispatch({ hold: 'true' }));
    await world.stepStarted(first, 'work', 'Hold');
    const second = world.queue(fixture('concurrency.yml'), dispatch({ cancel: 'true' }));
    const [cancelled, replacement] = await world.settle();
    expect(cancelled).toMatchObject({ id: first.id, status: 'cancelled', conclusion: 'cancelled' });
    expect(cancelled!.jobs[0]!.result).toBe('cancelled');
    expect(outcomes(cancelled!)).toEqual({ Hold: 'cancelled', Normal: 'skipped', Cleanup: 'success' });
    expect(cancelled!.log).toContain('[work/Cleanup] cleanup (job.status=cancelled)');
    expect(replacement).toMatchObject({ id: second.id, status: 'completed', conclusion: 'success' });
    expect(outcomes(replacement!)).toEqual({ Hold: 'skipped', Normal: 'success', Cleanup: 'success' });
  });

  it('cancelling a pending run takes it out of its group without running it', async () => {
    const gate = createGate();
    const { world } = createFixtureWorld({ vars: { GATE: gate.path } });
    const first = world.queue(fixture('concurrency.yml'), dispatch({ hold: 'true' }));
    await world.stepStarted(first, 'work', 'Hold');
    const pending = world.queue(fixture('concurrency.yml'), dispatch());
    world.cancel(pending);
    const cancelled = await pending.result;
    gate.open();
    const [done] = await world.settle();
    expect(cancelled).toMatchObject({ status: 'cancelled', conclusion: 'cancelled', jobs: [] });
    expect(done).toMatchObject({ id: first.id, conclusion: 'success' });
  });

  it('applies job-level groups across runs, by the evaluated group name', async () => {
    const gate = createGate();
    const { world } = createFixtureWorld({ vars: { GATE: gate.path } });
    const first = world.queue(fixture('job-concurrency.yml'), dispatch({ target: 'prod', hold: 'true' }));
    await world.stepStarted(first, 'deploy', 'Hold');
    const replaced = world.queue(fixture('job-concurrency.yml'), dispatch({ target: 'prod' }));
    const otherTarget = world.queue(fixture('job-concurrency.yml'), dispatch({ target: 'test' }));
    await world.jobQueued(replaced, 'deploy'); // pending behind the first run's deploy
    const otherDone = await otherTarget.result; // another group: not held up
    const last = world.queue(fixture('job-concurrency.yml'), dispatch({ target: 'prod' }));
    const replacedDone = await replaced.result;
    gate.open();
    const runs = await world.settle();
    expect(otherDone).toMatchObject({ conclusion: 'success' });
    expect(replacedDone.jobs.map((j) => [j.id, j.result])).toEqual([
      ['prepare', 'success'],
      ['deploy', 'cancelled'],
    ]);
    expect(replacedDone).toMatchObject({ status: 'cancelled', conclusion: 'cancelled' });
    expect(runs.find((r) => r.id === first.id)).toMatchObject({ conclusion: 'success' });
    expect(runs.find((r) => r.id === last.id)).toMatchObject({ conclusion: 'success' });
  });
});
