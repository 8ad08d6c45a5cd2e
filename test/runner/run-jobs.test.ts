import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { dispatch, push, runFixture } from './fixtures/run-fixture.js';
import type { JobRecord, RunRecord } from './run-result.js';

const job = (run: RunRecord, id: string): JobRecord => {
  const found = run.jobs.find((j) => j.id === id);
  if (!found) throw new Error(`no job ${id} in ${run.jobs.map((j) => j.id).join(', ')}`);
  return found;
};
const steps = (record: JobRecord) =>
  Object.fromEntries(record.steps.map((s) => [s.id, `${s.outcome}/${s.conclusion}`]));
/** The log lines of a job's steps (`[job/step name] line`), without the prefix. */
const logOf = (run: RunRecord, jobId: string) => {
  const prefixes = job(run, jobId).steps.flatMap((s) => [
    `[${jobId}/${s.name}] `,
    ...(s.steps ?? []).map((inner) => `[${jobId}/${s.name} > ${inner.name}] `),
  ]);
  return run.log.flatMap((line) => {
    const prefix = prefixes.find((p) => line.startsWith(p));
    return prefix ? [line.slice(prefix.length)] : [];
  });
};

describe('jobs and steps', () => {
  it('passes outputs through steps, jobs and needs; env precedence is step > GITHUB_ENV > job > workflow', async () => {
    const { run } = await runFixture('basics.yml', {
      name: 'push',
      payload: { ref: 'refs/heads/main', after: 'c'.repeat(40) },
    });
    expect(run).toMatchObject({ status: 'completed', conclusion: 'success' });
    expect(job(run, 'first').outputs).toEqual({ greeting: 'hello from job' });
    expect(logOf(run, 'first')).toContain('level=step shared=workflow exported=yes');
    expect(logOf(run, 'second')).toContain('got hello from job');
  });

  it('answers not triggered for a branch the push filter excludes', async () => {
    const { run } = await runFixture('basics.yml', push('refs/heads/feature'));
    expect(run).toMatchObject({ status: 'not-triggered', conclusion: null, jobs: [] });
    expect(run.reason).toMatch(/branch 'feature'/);
  });

  it('runs status-function steps, skips what a failure skips, and propagates skips through needs', async () => {
    const { run } = await runFixture('status.yml', dispatch());
    expect(steps(job(run, 'breaks'))).toEqual({
      soft: 'failure/success',
      'after-soft': 'success/success',
      hard: 'failure/failure',
      'skipped-after-failure': 'skipped/skipped',
      'on-failure': 'success/success',
      'on-always': 'success/success',
      'on-success-explicit': 'skipped/skipped',
    });
    expect(logOf(run, 'breaks')).toEqual(
      expect.arrayContaining(['soft outcome=failure conclusion=success', 'hard outcome=failure']),
    );
    expect(job(run, 'dependent').result).toBe('skipped');
    expect(job(run, 'grandchild').result).toBe('skipped');
    expect(job(run, 'always-after').result).toBe('success');
    expect(logOf(run, 'always-after')).toContain('dependent=skipped');
    expect(logOf(run, 'on-failure')).toContain('breaks=failure');
    expect(job(run, 'tolerated')).toMatchObject({ result: 'failure', continueOnError: true });
    expect(run.conclusion).toBe('failure');
  });

  it('handles GITHUB_OUTPUT heredocs, GITHUB_ENV (not GITHUB_*), GITHUB_PATH, the summary and defaults.run', async () => {
    const { run } = await runFixture('files.yml', push());
    const files = job(run, 'files');
    expect(steps(files)).toEqual({
      __run: 'success/success',
      write: 'success/success',
      read: 'success/success',
      // defaults.run.shell: bash is bash --noprofile --norc -eo pipefail; `bash -e {0}` has no pipefail.
      pipefail: 'failure/success',
      'plain-bash': 'success/success',
      posix: 'success/success',
    });
    expect(files.steps[1]!.outputs).toEqual({ multi: 'line one\nline two' });
    const log = logOf(run, 'files');
    expect(log).toEqual(expect.arrayContaining(['where=sub sha-kept=yes', 'tool ran', 'sh here']));
    expect(log.join('\n')).toContain('multi=line one line two');
    expect(log.join('\n')).toContain("Can't store GITHUB_SHA");
    expect(files.summary).toContain('### Summary from a step');
  });

  it('stops a step at its timeout-minutes (later always() steps run) and a job at its own', async () => {
    const { run } = await runFixture('timeout.yml', push());
    const stepTimeout = job(run, 'step-timeout');
    expect(steps(stepTimeout)).toEqual({ slow: 'failure/failure', after: 'success/success' });
    expect(stepTimeout.steps[0]!.error).toMatch(/timed out/);
    expect(logOf(run, 'step-timeout')).toContain('slow=failure');
    const jobTimeout = job(run, 'job-timeout');
    expect(jobTimeout.result).toBe('failure');
    expect(jobTimeout.error).toMatch(/exceeded its timeout-minutes/);
    expect(steps(jobTimeout)).toEqual({
      slow: 'cancelled/cancelled',
      cleanup: 'success/success',
      normal: 'skipped/skipped',
    });
  });

  it('runs a composite (inputs, outputs, GITHUB_ACTION_PATH), our node bundle on Node 24 and a stand-in', async () => {
    const { run } = await runFixture('actions.yml', push('refs/tags/v1.2.3-rc.1'));
    expect(run.conclusion).toBe('success');
    const actions = job(run, 'actions');
    expect(actions.steps[0]).toMatchObject({ id: 'greet', outputs: { said: 'hello runner' } });
    expect(actions.steps[0]!.steps?.map((s) => s.outcome)).toEqual(['success', 'skipped']);
    expect(actions.steps[1]).toMatchObject({ id: 'classify', outputs: { kind: 'rc', tag: 'v1.2.3-rc.1' } });
    const log = logOf(run, 'actions');
    expect(log).toEqual(
      expect.arrayContaining([
        'action_path=greet true',
        'greet=hello runner env=yes kind=rc double=rc exported=yes',
        expect.stringMatching(/^v24\./),
      ]),
    );
  });

  it('fails a step whose expression cannot be evaluated, naming file, job and step', async () => {
    const { run } = await runFixture('runtime-error.yml', push());
    const broken = job(run, 'broken');
    expect(steps(broken)).toEqual({ bad: 'failure/failure', after: 'success/success' });
    expect(broken.steps[0]!.error).toMatch(
      /^test\/runner\/fixtures\/runtime-error\.yml: job 'broken' step 1 \(bad\): /,
    );
    expect(logOf(run, 'broken')).toContain('bad=failure');
  });

  it('fails a job whose own if cannot be evaluated, naming it; the other jobs still run', async () => {
    const { run } = await runFixture('job-if-error.yml', push());
    expect(job(run, 'broken')).toMatchObject({ result: 'failure', steps: [] });
    expect(job(run, 'broken').error).toMatch(/^test\/runner\/fixtures\/job-if-error\.yml: job 'broken': /);
    expect(job(run, 'fine').result).toBe('success');
    expect(run.conclusion).toBe('failure');
  });

  it('masks secrets, add-mask values and the job token; drops job outputs holding a secret', async () => {
    const { run, tokens } = await runFixture('masking.yml', push(), { secrets: { API_KEY: 'sekrit-key-42' } });
    const text = run.log.join('\n');
    expect(text).not.toContain('sekrit-key-42');
    expect(text).not.toContain('dynamic-value-123');
    expect(text).not.toContain(tokens[0]!.token);
    expect(text).toContain('the secret is ***');
    expect(text).toContain('now *** is hidden');
    expect(text).toContain('token ***');
    expect(job(run, 'leak').outputs).toEqual({ plain: 'visible' });
    expect(job(run, 'fails').steps[0]!.error).toBe('bad key ***');
  });

  it('gives each job a token scoped to its effective permissions ({} leaves metadata only)', async () => {
    const { tokens } = await runFixture('masking.yml', push(), { secrets: { API_KEY: 'k' } });
    const byJob = Object.fromEntries(tokens.map((t) => [t.jobId, t.permissions]));
    const granted = (p: Record<string, string>) => Object.entries(p).filter(([, level]) => level !== 'none');
    expect(granted(byJob.leak!)).toEqual([
      ['contents', 'write'],
      ['id-token', 'write'],
      ['metadata', 'read'],
    ]);
    expect(granted(byJob.none!)).toEqual([['metadata', 'read']]);
    const { tokens: defaults } = await runFixture('basics.yml', push());
    expect(granted(defaults[0]!.permissions)).toEqual([
      ['contents', 'read'],
      ['packages', 'read'],
      ['metadata', 'read'],
    ]);
  });
});

describe('runner machines', () => {
  it("a job whose runs-on names a machine's label gets its folders first on PATH and its env; others do not", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'machine-'));
    writeFileSync(join(dir, 'machine-tool'), '#!/bin/sh\necho from-machine\n', { mode: 0o755 });
    const { run } = await runFixture('machines.yml', dispatch(), {
      machines: { 'self-hosted': { path: [dir], env: { MACHINE_ROLE: 'dev' } } },
    });
    expect(run.conclusion).toBe('success');
    expect(logOf(run, 'hosted')).toContain('tool=none role=none');
    expect(logOf(run, 'dev-host')).toContain('tool=from-machine role=dev');
  });
});
