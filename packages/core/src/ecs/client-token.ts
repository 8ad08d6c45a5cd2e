import { createHash } from 'node:crypto';

/**
 * A CreateService clientToken that is the same for the same cluster, service and task
 * definition revision, so a retried create is idempotent. 32 hex characters (ECS allows 36).
 */
export function createServiceClientToken(cluster: string, serviceName: string, taskDefinition: string): string {
  const familyRevision = taskDefinition.split('/').pop() ?? taskDefinition;
  return createHash('sha256').update(`${cluster}\n${serviceName}\n${familyRevision}`).digest('hex').slice(0, 32);
}
