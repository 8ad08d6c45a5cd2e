import type { ServiceDeployment } from '@aws-sdk/client-ecs';

/** What we wait for on a service deployment: that it succeeds, or that its rollback does. */
export type DeploymentGoal = 'deploy' | 'rollback';

/** Where a service deployment stands for our goal. */
export interface DeploymentVerdict {
  state: 'stable' | 'pending' | 'failed';
  reason: string;
}

function counts(d: ServiceDeployment): string {
  const t = d.targetServiceRevision;
  if (!t) return '';
  return `: running ${t.runningTaskCount ?? 0}/${t.requestedTaskCount ?? 0}, pending ${t.pendingTaskCount ?? 0}`;
}

function why(d: ServiceDeployment): string {
  const reasons = [d.statusReason, d.rollback?.reason].filter((r, i, all): r is string => !!r && all.indexOf(r) === i);
  return reasons.length > 0 ? ` (${reasons.join('; ')})` : '';
}

/**
 * Judges ECS's own record of a deployment (DescribeServiceDeployments). For a deployment we
 * started: SUCCESSFUL is stable; PENDING and IN_PROGRESS are pending; STOPPED, STOP_REQUESTED and
 * every ROLLBACK_* state mean ours failed (ECS or someone stopped it, or the circuit breaker or an
 * alarm is rolling it back), with `statusReason` and `rollback.reason` as the why. For a rollback
 * we asked for or ECS began: ROLLBACK_SUCCESSFUL is stable, ROLLBACK_FAILED and STOPPED failed,
 * everything else pending.
 */
export function judgeServiceDeployment(d: ServiceDeployment, goal: DeploymentGoal = 'deploy'): DeploymentVerdict {
  const status = d.status ?? 'PENDING';
  const head = `service deployment ${status}`;
  if (goal === 'rollback') {
    if (status === 'ROLLBACK_SUCCESSFUL') return { state: 'stable', reason: `rolled back${why(d)}` };
    if (status === 'ROLLBACK_FAILED' || status === 'STOPPED' || status === 'SUCCESSFUL') {
      return { state: 'failed', reason: `${head}${why(d)}, not rolled back` };
    }
    return { state: 'pending', reason: `${head}${counts(d)}` };
  }
  if (status === 'SUCCESSFUL') return { state: 'stable', reason: `${head}${counts(d)}` };
  if (status === 'PENDING' || status === 'IN_PROGRESS') return { state: 'pending', reason: `${head}${counts(d)}` };
  return { state: 'failed', reason: `${head}${why(d)}` };
}

/** True while ECS may still finish the deployment, so a rollback must stop it rather than start another. */
export function isDeploymentUnderway(status: string | undefined): boolean {
  return status === 'PENDING' || status === 'IN_PROGRESS';
}

/** True when ECS is rolling the deployment back (or has) by itself, so there is nothing to start. */
export function isEcsRollingBack(status: string | undefined): boolean {
  return status === 'ROLLBACK_REQUESTED' || status === 'ROLLBACK_IN_PROGRESS' || status === 'ROLLBACK_SUCCESSFUL';
}
