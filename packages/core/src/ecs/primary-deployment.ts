import type { Deployment, Service } from '@aws-sdk/client-ecs';

/** The deployment ECS currently routes new tasks to; ECS marks exactly one PRIMARY. */
export function findPrimaryDeployment(service: Service | undefined): Deployment | undefined {
  return service?.deployments?.find((d) => d.status === 'PRIMARY');
}
