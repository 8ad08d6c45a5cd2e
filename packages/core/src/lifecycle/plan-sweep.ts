import type { PullRequestState, UnknownPullRequest } from '../github/read-pull-request-states.js';
import type { PreviewEnvironment } from './preview-environment.js';

/** How the sweep judges environments. */
export interface SweepPolicy {
  /** Hours without activity before an open PR's environment is hibernated. */
  maxIdleHours: number;
  /** Hours a hibernated environment waits before it is deleted. */
  hibernateGraceHours: number;
  /** A PR with this label keeps its environment however idle it is. */
  keepLabel: string;
  /** Count the environment's last log event as activity. */
  useLogActivity: boolean;
  /** Hours before a real expiry (ttl-hours) that the PR is warned; 0: no warning. */
  expiryWarningHours?: number;
}

/** What the sweep does to one environment, and why. */
export type SweepDecision =
  | { pr: number; action: 'delete'; cause: DeleteCause; reason: string }
  | { pr: number; action: 'hibernate'; cause: 'idle' | 'expired'; reason: string; deleteAfter: Date }
  | {
      pr: number;
      action: 'skip';
      reason: string;
      /** Set when a real expiry is near enough to warn the PR about it. */
      expiresSoon?: Date;
      /** Set when GitHub answered that the pull request does not exist. */
      missing?: true;
    };

/** Why an environment is deleted: its PR ended, it outlived its idle or expiry grace, or a person asked. */
export type DeleteCause = 'closed' | 'merged' | 'idle' | 'expired' | 'requested';

const HOUR = 3_600_000;

/**
 * Decides, without side effects, what happens to each environment. Closed and merged PRs are
 * deleted whatever protects them (a preview serves its PR, and a closed PR has none to serve). A
 * PR GitHub could not describe is skipped, never deleted (one it says does not exist is marked
 * `missing`, for the report). An open PR with the keep label is left alone. Then one of two rules applies:
 * an environment deployed with ttl-hours has a real expiry, and is hibernated once its expires-at has
 * passed, however active (warned `expiryWarningHours` before); one without is protected by an
 * unexpired expires-at (`/extend`) and otherwise hibernated once idle for `maxIdleHours` (activity: the
 * PR's updated_at, the deployed-at tag and, optionally, the last log event). Either way it is deleted
 * `hibernateGraceHours` after hibernation. Once hibernated, the PR's updated_at no longer counts (our
 * own notice comment moves it); a redeploy after hibernation does.
 */
export function planSweep(
  environments: readonly PreviewEnvironment[],
  states: ReadonlyMap<number, PullRequestState | UnknownPullRequest>,
  policy: SweepPolicy,
  now: Date,
): SweepDecision[] {
  return environments.map((env) => decide(env, states.get(env.pr), policy, now));
}

function decide(
  env: PreviewEnvironment,
  state: PullRequestState | UnknownPullRequest | undefined,
  policy: SweepPolicy,
  now: Date,
): SweepDecision {
  const pr = env.pr;
  if (!state || !state.known) {
    if (state?.missing) {
      return {
        pr,
        action: 'skip',
        missing: true,
        reason: `GitHub says #${pr} does not exist (deleted, or the repository was transferred); left alone: tear it down with pr-number ${pr}`,
      };
    }
    return {
      pr,
      action: 'skip',
      reason: `GitHub could not say the state of #${pr} (${state?.reason ?? 'not asked'}); left alone`,
    };
  }
  if (state.state === 'MERGED' || state.merged)
    return { pr, action: 'delete', cause: 'merged', reason: `#${pr} is merged` };
  if (state.state === 'CLOSED') return { pr, action: 'delete', cause: 'closed', reason: `#${pr} is closed` };
  if (state.labels.some((label) => label.toLowerCase() === policy.keepLabel.toLowerCase())) {
    return { pr, action: 'skip', reason: `protected by the ${policy.keepLabel} label` };
  }
  const expiring = env.ttlHours !== undefined && env.expiresAt !== undefined;
  const unexpired = env.expiresAt !== undefined && env.expiresAt.getTime() > now.getTime();
  if (expiring && unexpired) return decideBeforeExpiry(pr, env.expiresAt as Date, policy, now);
  if (!expiring && unexpired) {
    return { pr, action: 'skip', reason: `extended until ${(env.expiresAt as Date).toISOString()}` };
  }
  const cause = expiring ? 'expired' : 'idle';
  const hibernated =
    env.hibernatedAt && !(env.deployedAt && env.deployedAt > env.hibernatedAt) ? env.hibernatedAt : undefined;
  if (hibernated) {
    const deleteAt = new Date(hibernated.getTime() + policy.hibernateGraceHours * HOUR);
    if (now.getTime() >= deleteAt.getTime()) {
      return {
        pr,
        action: 'delete',
        cause,
        reason: `hibernated since ${hibernated.toISOString()}, grace of ${policy.hibernateGraceHours} h is over`,
      };
    }
    return { pr, action: 'skip', reason: `hibernated; deleted after ${deleteAt.toISOString()}` };
  }
  const deleteAfter = new Date(now.getTime() + policy.hibernateGraceHours * HOUR);
  if (expiring) {
    const expiredAt = (env.expiresAt as Date).toISOString();
    return { pr, action: 'hibernate', cause, reason: `expired at ${expiredAt} (ttl-hours)`, deleteAfter };
  }
  const activity = readLastActivity(env, state, policy.useLogActivity);
  const idleHours = (now.getTime() - activity.getTime()) / HOUR;
  if (idleHours >= policy.maxIdleHours) {
    return {
      pr,
      action: 'hibernate',
      cause,
      reason: `idle for ${Math.floor(idleHours)} h (last activity ${activity.toISOString()})`,
      deleteAfter,
    };
  }
  return { pr, action: 'skip', reason: `active (last activity ${activity.toISOString()})` };
}

/** An environment with a real expiry that has not passed yet: left alone, and warned once it is near. */
function decideBeforeExpiry(pr: number, expiresAt: Date, policy: SweepPolicy, now: Date): SweepDecision {
  const warnFrom = expiresAt.getTime() - (policy.expiryWarningHours ?? 0) * HOUR;
  const reason = `expires at ${expiresAt.toISOString()} (ttl-hours)`;
  return policy.expiryWarningHours && now.getTime() >= warnFrom
    ? { pr, action: 'skip', reason, expiresSoon: expiresAt }
    : { pr, action: 'skip', reason };
}

/** The latest of the PR's updated_at, the environment's deployed-at tag and, when asked, its last log event. */
export function readLastActivity(env: PreviewEnvironment, state: PullRequestState, useLogActivity: boolean): Date {
  const times = [state.updatedAt, env.deployedAt, useLogActivity ? env.lastLogEventAt : undefined].flatMap((d) =>
    d ? [d.getTime()] : [],
  );
  return new Date(Math.max(...times));
}
