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

  it('skips a PR GitHub could not describe, never deleting it, and marks one GitHub says does not exist', () => {
    const unknown = decide(env(3), { known: false, number: 3, reason: 'boom' });
    expect(unknown).toMatchObject({ action: 'skip', reason: expect.stringContaining('boom') });
    expect(unknown).not.toHaveProperty('missing');
    expect(decide(env(3), { known: false, number: 3, reason: 'gone', missing: true })).toEqual({
      pr: 3,
      action: 'skip',
      missing: true,
      reason: expect.stringContaining('GitHub says #3 does not exist'),
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

  describe('an environment deployed with ttl-hours (a real expiry)', () => {
    const ttl = (extra: Partial<PreviewEnvironment> = {}) => env(9, { ttlHours: 24, deployedAt: ago(25), ...extra });

    it('is hibernated once expires-at has passed, however active its PR is', () => {
      expect(decide(ttl({ expiresAt: ago(1) }), open(9, 0))).toEqual({
        pr: 9,
        action: 'hibernate',
        cause: 'expired',
        reason: `expired at ${ago(1).toISOString()} (ttl-hours)`,
        deleteAfter: new Date(NOW.getTime() + 48 * HOUR),
      });
      // The same environment without the ttl-hours tag: expires-at only protected it, and an active PR keeps it.
      expect(decide(ttl({ expiresAt: ago(1), ttlHours: undefined }), open(9, 0))).toMatchObject({
        action: 'skip',
        reason: expect.stringContaining('active'),
      });
    });

    it('is left alone before expires-at however idle, warned once within expiry-warning-hours', () => {
      const p = { ...policy, expiryWarningHours: 2 };
      expect(decide(ttl({ expiresAt: ago(-3), deployedAt: ago(200) }), open(9, 200), p)).toEqual({
        pr: 9,
        action: 'skip',
        reason: `expires at ${ago(-3).toISOString()} (ttl-hours)`,
      });
      expect(decide(ttl({ expiresAt: ago(-2) }), open(9, 200), p)).toMatchObject({
        action: 'skip',
        expiresSoon: ago(-2),
      });
      expect(decide(ttl({ expiresAt: ago(-1) }), open(9, 200), policy)).not.toHaveProperty('expiresSoon');
    });

    it('is deleted, cause expired, once the grace after its hibernation is over', () => {
      const hibernated = ttl({ expiresAt: ago(60), hibernatedAt: ago(48), deployedAt: ago(84) });
      expect(decide(hibernated, open(9, 0))).toMatchObject({ action: 'delete', cause: 'expired' });
      expect(decide({ ...hibernated, hibernatedAt: ago(47) }, open(9, 0))).toMatchObject({
        action: 'skip',
        reason: expect.stringContaining('hibernated; deleted after'),
      });
    });

    it('is never expired by time without an expires-at', () => {
      expect(decide(env(10, { deployedAt: ago(1) }), open(10, 1))).toMatchObject({ action: 'skip' });
    });
  });
});
