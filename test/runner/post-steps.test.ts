import { describe, expect, it } from '@jest/globals';
import { push, runFixture } from './fixtures/run-fixture.js';
import type { JobRecord, RunRecord } from './run-result.js';

const job = (run: RunRecord, id: string): JobRecord => run.jobs.find((j) => j.id === id)!;
const steps = (record: JobRecord) => record.steps.map((s) => `${s.id}:${s.outcome}`);
/** The job's log lines, prefix and all, without the runner's own start/outcome lines. */
const linesOf = (run: RunRecord, jobId: string) =>
  run.log.filter((l) => l.startsWith(`[${jobId}/`) && !/\] (start|success|failure|skipped)$/.test(l));

describe('post steps of node actions (runs.post, runs.post-if)', () => {
  it('run after every main step, newest first, with the state their main step saved and its inputs', async () => {
    const { run } = await runFixture('post.yml', push('refs/heads/main'));
    const posts = job(run, 'posts');
    expect(posts.result).toBe('success');
    // the skipped main step registered no post step; post-on-failure's post-if does not hold after a success
    expect(steps(posts)).toEqual([
      'first:success',
      'only-on-failure:success',
      'second:success',
      'never:skipped',
      'post-second:success',
      'post-only-on-failure:skipped',
      'post-first:success',
    ]);
    expect(posts.steps.map((s) => s.name).slice(4)).toEqual([
      'Post Run ./test/runner/fixtures/actions/save-state',
      'Post Run ./test/runner/fixtures/actions/post-on-failure',
      'Post Run ./test/runner/fixtures/actions/save-state',
    ]);
    expect(linesOf(run, 'posts').filter((l) => l.includes('post '))).toEqual([
      '[posts/Post Run ./test/runner/fixtures/actions/save-state] post two input=two',
      '[posts/Post Run ./test/runner/fixtures/actions/save-state] post one input=one',
    ]);
  });

  it('run after a failed main step: always() by default, and a post-if of failure() holds', async () => {
    const { run } = await runFixture('post.yml', push('refs/heads/main'));
    const failing = job(run, 'failing');
    expect(failing.result).toBe('failure');
    expect(steps(failing)).toEqual([
      'only-on-failure:success',
      'saver:failure',
      'after:skipped',
      'post-saver:success',
      'post-only-on-failure:success',
    ]);
    const lines = linesOf(run, 'failing');
    expect(lines).toContain('[failing/Post Run ./test/runner/fixtures/actions/save-state] post three input=three');
    expect(lines).toContain(
      '[failing/Post Run ./test/runner/fixtures/actions/post-on-failure] post of post-on-failure',
    );
  });
});
