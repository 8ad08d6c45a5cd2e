import {
  CreateServiceCommand,
  DeleteServiceCommand,
  DescribeServicesCommand,
  RegisterTaskDefinitionCommand,
  type ContainerDefinition,
} from '@aws-sdk/client-ecs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SandboxAwsClients } from './aws-clients.js';

/**
 * Creates a one-task EC2 service named `name` (a task definition of its own, family = name, one container `app`
 * running `image`, with `container`'s other settings) with the deployment circuit breaker and its rollback on, as
 * the release tests' production services are. Returns without waiting for its first deployment.
 */
export async function createBreakerService(
  aws: SandboxAwsClients,
  cluster: string,
  name: string,
  image: string,
  container: Omit<ContainerDefinition, 'name' | 'image'> = {},
): Promise<void> {
  const { taskDefinition } = await aws.ecs.send(
    new RegisterTaskDefinitionCommand({
      family: name,
      requiresCompatibilities: ['EC2'],
      containerDefinitions: [{ memory: 128, essential: true, ...container, name: 'app', image }],
    }),
  );
  await aws.ecs.send(
    new CreateServiceCommand({
      cluster,
      serviceName: name,
      taskDefinition: taskDefinition!.taskDefinitionArn,
      desiredCount: 1,
      launchType: 'EC2',
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
    }),
  );
}

/**
 * {@link createBreakerService}, then waits until its first deployment has completed, so what follows starts from
 * a settled service.
 */
export async function createSettledService(
  aws: SandboxAwsClients,
  cluster: string,
  name: string,
  image: string,
): Promise<void> {
  await createBreakerService(aws, cluster, name, image);
  for (let look = 0; look < 240; look++) {
    const { services } = await aws.ecs.send(new DescribeServicesCommand({ cluster, services: [name] }));
    const deployments = services?.[0]?.deployments ?? [];
    if (deployments.length === 1 && deployments[0]?.rolloutState === 'COMPLETED') return;
    await sleep(500);
  }
  throw new Error(`${name} did not settle: its first deployment never completed`);
}

/** Deletes a service made by {@link createSettledService}, tasks and all. */
export async function deleteService(aws: SandboxAwsClients, cluster: string, name: string): Promise<void> {
  await aws.ecs.send(new DeleteServiceCommand({ cluster, service: name, force: true }));
}
