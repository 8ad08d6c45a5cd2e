import { StopServiceDeploymentCommand, type ECSClient } from '@aws-sdk/client-ecs';

/**
 * Asks ECS to stop a service deployment that is still under way and roll the service back to
 * the revision it ran before (StopServiceDeployment, stopType ROLLBACK). ECS then moves the
 * record through ROLLBACK_REQUESTED and ROLLBACK_IN_PROGRESS to ROLLBACK_SUCCESSFUL (or
 * ROLLBACK_FAILED), so the caller follows the same record with the goal `rollback`. The previous
 * revision keeps the digests ECS resolved when it was deployed, so the rollback runs the old
 * image whatever the tag holds. Errors (a deployment that finished meanwhile) are thrown for the
 * caller to fall back to a new deployment.
 */
export async function stopServiceDeploymentWithRollback(ecs: ECSClient, serviceDeploymentArn: string): Promise<void> {
  await ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn, stopType: 'ROLLBACK' }));
}
