import type { PullRequestState, UnknownPullRequest } from '../github/read-pull-request-states.js';
import { planSweep, type SweepPolicy } from './plan-sweep.js';
import { createEmptyEnvironment, type PreviewEnvironment } from './preview-environment.js';

const NOW = new Date('2026-03-10T12:00:00Z');
const HOUR = 3_600_000;
const policy: SweepPolicy = {
  maxIdleHours: 24,
  hibernateGraceHours: 48,
  keepLabel: 'preview:keep',
  useLogActivity: false,
};
const ago = (hours: number) => new Date(NOW.getTime() - hours * HOUR);

function env(pr: number, extra: Partial<PreviewEnvironment> = {}): PreviewEnvironment {
  return { ...createEmptyEnvironment(pr), deployedAt: ago(100), ...extra };
}

function open(number: number, updatedHoursAgo: number, labels: string[] = []): PullRequestState {
  return {
    known: true,
    number,
    state: 'OPEN',
    merged: false,
    updatedAt: ago(updatedHoursAgo),
    labels,
    headSha: 'a'.repeat(40),
    isCrossRepository: false,
  };
}

function decide(
  e: PreviewEnvironment,
  state: PullRequestState | UnknownPullRequest | undefined,
  p: SweepPolicy = policy,
) {
  const states = new Map<number, PullRequestState | UnknownPullRequest>(state ? [[e.pr, state]] : []);
  return planSweep([e], states, p, NOW)[0];
}

describe('planSweep', () => {
  it('deletes closed and merged PRs even when labelled keep or extended', () => {
    const closed = { ...open(1, 1, ['preview:keep']), state: 'CLOSED' as const };
    expect(decide(env(1, { expiresAt: ago(-10) }), closed)).toMatchObject({ action: 'delete', cause: 'closed' });
    expect(decide(env(2), { ...open(2, 1), state: 'MERGED', merged: true })).toMatchObject({
      action: 'delete',
      cause: 'merged',
    });
  });

  it('skips a PR GitHub could not describe, never deleting it', () => {
    expect(decide(env(3), { known: false, number: 3, reason: 'boom' })).toMatchObject({
      action: 'skip',
      reason: expect.stringContaining('boom'),
    });
    expect(decide(env(3), undefined)).toMatchObject({ action: 'skip' });
  });

  it('protects idle environments with the keep label (any case) or an unexpired expiry', () => {
    expect(decide(env(4), open(4, 200, ['Preview:Keep']))).toMatchObject({
      action: 'skip',
      reason: expect.stringContaining('label'),
    });
    expect(decide(env(5, { expiresAt: ago(-1) }), open(5, 200))).toMatchObject({
      action: 'skip',
      reason: expect.stringContaining('extended'),
    });
    expect(decide(env(5, { expiresAt: ago(1) }), open(5, 200))).toMatchObject({ action: 'hibernate' });
  });

  it('hibernates after max-idle-hours counting the latest of updated_at, deployed-at and (when asked) logs', () => {
    expect(decide(env(6, { deployedAt: ago(30) }), open(6, 25))).toMatchObject({
      action: 'hibernate',
      deleteAfter: new Date(NOW.getTime() + 48 * HOUR),
    });
    expect(decide(env(6, { deployedAt: ago(30) }), open(6, 23))).toMatchObject({
      action: 'skip',
      reason: expect.stringContaining('active'),
    });
    expect(decide(env(6, { deployedAt: ago(2) }), open(6, 99))).toMatchObject({ action: 'skip' });
    const logged = env(6, { deployedAt: ago(99), lastLogEventAt: ago(1) });
    expect(decide(logged, open(6, 99))).toMatchObject({ action: 'hibernate' });
    expect(decide(logged, open(6, 99), { ...policy, useLogActivity: true })).toMatchObject({ action: 'skip' });
  });

  it('deletes a hibernated environment once the grace period is over, ignoring the PR update our notice caused', () => {
    const hibernated = env(7, { hibernatedAt: ago(47), deployedAt: ago(100) });
    expect(decide(hibernated, open(7, 47))).toMatchObject({
      action: 'skip',
      reason: expect.stringContaining('hibernated'),
    });
    expect(decide({ ...hibernated, hibernatedAt: ago(48) }, open(7, 48))).toMatchObject({
      action: 'delete',
      cause: 'idle',
    });
  });

  it('treats a redeploy after hibernation as activity', () => {
    expect(decide(env(8, { hibernatedAt: ago(60), deployedAt: ago(1) }), open(8, 100))).toMatchObject({
      action: 'skip',
      reason: expect.stringContaining('active'),
    });
  });
});
