import { describe, expect, it } from '@jest/globals';
import { judgeRunningDigests } from './judge-digests.js';
import type { RunningTask } from './read-running-digests.js';

const GOOD = 'sha256:' + 'a'.repeat(64);
const BAD = 'sha256:' + 'b'.repeat(64);

function task(id: string, containers: RunningTask['containers'], lastStatus = 'RUNNING'): RunningTask {
  return { taskArn: `arn:aws:ecs:us-east-1:1:task/c1/${id}`, lastStatus, containers };
}

describe('judgeRunningDigests', () => {
  it('matches when every running task runs the expected digest in some container', () => {
    const verdict = judgeRunningDigests(
      [
        task('t1', [
          { name: 'app', imageDigest: GOOD },
          { name: 'sidecar', imageDigest: BAD },
        ]),
        task('t2', [{ name: 'app', imageDigest: GOOD }]),
      ],
      GOOD,
    );
    expect(verdict).toMatchObject({ state: 'match', seen: [GOOD, BAD] });
  });

  it('is a mismatch when a running task runs another digest, naming the task and digest', () => {
    const verdict = judgeRunningDigests(
      [task('t1', [{ name: 'app', imageDigest: GOOD }]), task('t2', [{ name: 'app', imageDigest: BAD }])],
      GOOD,
    );
    expect(verdict.state).toBe('mismatch');
    expect(verdict.reason).toBe(`task(s) t2 run ${BAD}, not ${GOOD}`);
  });

  it('checks only the named container when one is given', () => {
    const tasks = [
      task('t1', [
        { name: 'app', imageDigest: BAD },
        { name: 'sidecar', imageDigest: GOOD },
      ]),
    ];
    expect(judgeRunningDigests(tasks, GOOD, 'app').state).toBe('mismatch');
    expect(judgeRunningDigests(tasks, GOOD, 'sidecar').state).toBe('match');
    expect(judgeRunningDigests(tasks, GOOD, 'web').reason).toBe('task t1 has no container named web');
  });

  it('waits while no task is RUNNING or a digest is not reported yet', () => {
    expect(judgeRunningDigests([task('t1', [{ name: 'app' }], 'PENDING')], GOOD)).toMatchObject({
      state: 'pending',
      reason: 'no task is RUNNING yet',
    });
    expect(judgeRunningDigests([], GOOD).state).toBe('pending');
    expect(judgeRunningDigests([task('t1', [{ name: 'app' }])], GOOD).state).toBe('pending');
  });

  it('ignores tasks that are not RUNNING yet when the running ones match', () => {
    expect(
      judgeRunningDigests(
        [task('t1', [{ imageDigest: GOOD }]), task('t2', [{ imageDigest: BAD }], 'PROVISIONING')],
        GOOD,
      ).state,
    ).toBe('match');
  });
});
