import type { Deployment } from '@aws-sdk/client-ecs';
import type { ServiceDescription } from './describe-services.js';
import { findPrimaryDeployment } from './primary-deployment.js';

/** Where a deployment stands at one look: done, still going, or beyond saving. */
export type RolloutVerdict =
  | { state: 'stable'; deployment: Deployment; reason: string }
  | { state: 'pending'; deployment?: Deployment; reason: string }
  | {
      state: 'failed';
      deployment?: Deployment;
      reason: string;
      /**
       * The service or our deployment is absent from the answer. DescribeServices is eventually
       * consistent, so right after a create or update this can be a stale read, not a verdict.
       */
      unseen?: boolean;
    };

function revisionOf(taskDefinition: string | undefined): number | undefined {
  const match = /:(\d+)$/.exec(taskDefinition ?? '');
  return match ? Number(match[1]) : undefined;
}

function familyOf(taskDefinition: string | undefined): string | undefined {
  return taskDefinition?.split('/').pop()?.replace(/:\d+$/, '');
}

function describeReplacement(target: Deployment, primary: Deployment | undefined): string {
  if (!primary) return `deployment ${target.id} is no longer primary and no deployment is`;
  const from = revisionOf(target.taskDefinition);
  const to = revisionOf(primary.taskDefinition);
  const older =
    familyOf(target.taskDefinition) === familyOf(primary.taskDefinition) &&
    from !== undefined &&
    to !== undefined &&
    to < from;
  const how = older ? 'ECS rolled back to an older task definition' : 'a newer deployment replaced it';
  return `deployment ${target.id} is no longer primary: ${how} (primary is ${primary.id} with ${primary.taskDefinition ?? 'unknown task definition'})`;
}

function describeCounts(d: Deployment): string {
  return `running ${d.runningCount ?? 0}/${d.desiredCount ?? 0}, pending ${d.pendingCount ?? 0}, failed tasks ${d.failedTasks ?? 0}`;
}

/**
 * Judges one described service against the deployment we started (or, without an id, its
 * PRIMARY deployment). Stable means: ours is PRIMARY with rolloutState COMPLETED, or, when ECS
 * gives no rollout state, ours is the only deployment and running equals desired. A service
 * whose desired count is 0 is failed at once, since it can never become stable. Rollout state
 * FAILED (circuit breaker), ours losing PRIMARY, or the service leaving ACTIVE are failures.
 */
export function judgeRollout(description: ServiceDescription, deploymentId?: string): RolloutVerdict {
  const { service, status } = description;
  if (!service || status !== 'ACTIVE') {
    return { state: 'failed', reason: `service is ${status}`, unseen: status === 'MISSING' };
  }

  const deployments = service.deployments ?? [];
  const primary = findPrimaryDeployment(service);
  const target = deploymentId ? deployments.find((d) => d.id === deploymentId) : primary;
  if (!target) {
    if (!deploymentId) return { state: 'failed', reason: 'service has no PRIMARY deployment' };
    return { state: 'failed', reason: describeReplacement({ id: deploymentId }, primary), unseen: true };
  }
  if (target.rolloutState === 'FAILED') {
    return {
      state: 'failed',
      deployment: target,
      reason: `deployment circuit breaker: ${target.rolloutStateReason ?? 'rollout FAILED'}`,
    };
  }
  if (target.status !== 'PRIMARY')
    return { state: 'failed', deployment: target, reason: describeReplacement(target, primary) };
  if ((service.desiredCount ?? 0) === 0) {
    return {
      state: 'failed',
      deployment: target,
      reason: 'desired count is 0, so the service can never become stable',
    };
  }
  if ((target.desiredCount ?? 0) === 0) {
    return { state: 'pending', deployment: target, reason: `deployment ${target.id} has no desired tasks yet` };
  }

  if (target.rolloutState) {
    if (target.rolloutState === 'COMPLETED')
      return { state: 'stable', deployment: target, reason: `deployment ${target.id} COMPLETED` };
    return {
      state: 'pending',
      deployment: target,
      reason: `deployment ${target.id} ${target.rolloutState}: ${describeCounts(target)}`,
    };
  }
  const settled =
    deployments.length === 1 &&
    target.runningCount === target.desiredCount &&
    (service.runningCount ?? 0) === service.desiredCount;
  if (settled)
    return {
      state: 'stable',
      deployment: target,
      reason: `deployment ${target.id} is the only one, ${describeCounts(target)}`,
    };
  return {
    state: 'pending',
    deployment: target,
    reason: `${deployments.length} deployments, ${describeCounts(target)}`,
  };
}
