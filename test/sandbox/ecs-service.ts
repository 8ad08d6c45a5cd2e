import {
  CreateServiceCommand,
  DeleteServiceCommand,
  DescribeServicesCommand,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SandboxAwsClients } from './aws-clients.js';

/**
 * Creates a one-task EC2 service named `name` running `image` (a task definition of its own, family = name)
 * with the deployment circuit breaker and its rollback on, then waits until its first deployment has completed,
 * so what follows starts from a settled service.
 */
export async function createSettledService(
  aws: SandboxAwsClients,
  cluster: string,
  name: string,
  image: string,
): Promise<void> {
  const { taskDefinition } = await aws.ecs.send(
    new RegisterTaskDefinitionCommand({ family: name, containerDefinitions: [{ name: 'app', image, memory: 128 }] }),
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
