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
}

/** What the sweep does to one environment, and why. */
export type SweepDecision =
  | { pr: number; action: 'delete'; cause: 'closed' | 'merged' | 'idle' | 'requested'; reason: string }
  | { pr: number; action: 'hibernate'; reason: string; deleteAfter: Date }
  | { pr: number; action: 'skip'; reason: string };

const HOUR = 3_600_000;

/**
 * Decides, without side effects, what happens to each environment. Closed and merged PRs are
 * deleted whatever protects them (a preview serves its PR, and a closed PR has none to serve). A
 * PR GitHub could not describe is skipped, never deleted. An open PR is protected by the keep
 * label or an unexpired expires-at; otherwise it is hibernated once idle for `maxIdleHours`
 * (activity: the PR's updated_at, the deployed-at tag and, optionally, the last log event), and
 * deleted `hibernateGraceHours` after hibernation. Once hibernated, the PR's updated_at no longer
 * counts (our own notice comment moves it); a redeploy after hibernation does.
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
  if (env.expiresAt && env.expiresAt.getTime() > now.getTime()) {
    return { pr, action: 'skip', reason: `extended until ${env.expiresAt.toISOString()}` };
  }
  const hibernated =
    env.hibernatedAt && !(env.deployedAt && env.deployedAt > env.hibernatedAt) ? env.hibernatedAt : undefined;
  if (hibernated) {
    const deleteAt = new Date(hibernated.getTime() + policy.hibernateGraceHours * HOUR);
    if (now.getTime() >= deleteAt.getTime()) {
      return {
        pr,
        action: 'delete',
        cause: 'idle',
        reason: `hibernated since ${hibernated.toISOString()}, grace of ${policy.hibernateGraceHours} h is over`,
      };
    }
    return { pr, action: 'skip', reason: `hibernated; deleted after ${deleteAt.toISOString()}` };
  }
  const activity = readLastActivity(env, state, policy.useLogActivity);
  const idleHours = (now.getTime() - activity.getTime()) / HOUR;
  if (idleHours >= policy.maxIdleHours) {
    return {
      pr,
      action: 'hibernate',
      reason: `idle for ${Math.floor(idleHours)} h (last activity ${activity.toISOString()})`,
      deleteAfter: new Date(now.getTime() + policy.hibernateGraceHours * HOUR),
    };
  }
  return { pr, action: 'skip', reason: `active (last activity ${activity.toISOString()})` };
}

/** The latest of the PR's updated_at, the environment's deployed-at tag and, when asked, its last log event. */
export function readLastActivity(env: PreviewEnvironment, state: PullRequestState, useLogActivity: boolean): Date {
  const times = [state.updatedAt, env.deployedAt, useLogActivity ? env.lastLogEventAt : undefined].flatMap((d) =>
    d ? [d.getTime()] : [],
  );
  return new Date(Math.max(...times));
}
