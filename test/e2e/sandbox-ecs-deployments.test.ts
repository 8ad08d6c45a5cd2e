import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CreateServiceCommand,
  DeleteServiceCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ListServiceDeploymentsCommand,
  ListServicesCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
  type DeploymentConfiguration,
  type Service,
  type ServiceDeployment,
  type Task,
} from '@aws-sdk/client-ecs';
import {
  CreateTargetGroupCommand,
  DeleteTargetGroupCommand,
  DescribeTargetHealthCommand,
  type TargetHealthDescription,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { OciClient } from '@preview-actions/core/registry';
import { createSandboxAwsClients, destroySandboxAwsClients, type SandboxAwsClients } from '../sandbox/aws-clients.js';
import { pushBehaviourImage, type SandboxEcsBehaviour } from '../sandbox/behaviour-image.js';
import type { SandboxEndpoints } from '../sandbox/endpoints.js';
import { connectBasicRegistry } from '../sandbox/basic-registry.js';
import { ensureSandbox } from '../sandbox/ensure.js';
import { createThrowawayCluster, deleteClusterWithInstance } from '../sandbox/seed-aws.js';

// The sandbox's ECS deployment life cycle (test/sandbox/moto-ecs), through the AWS SDK as the actions use it:
// deployments that succeed, crash and roll back, fail health checks, and the service deployment APIs.

let sandbox: SandboxEndpoints;
let clients: SandboxAwsClients;
let registry: { client: OciClient; host: string };
let cluster: { name: string; arn: string; containerInstanceArn: string };
const targetGroups: string[] = [];
const run = `${process.pid}-${Date.now().toString(36)}`;
const withRollback: DeploymentConfiguration = { deploymentCircuitBreaker: { enable: true, rollback: true } };

beforeAll(async () => {
  sandbox = await ensureSandbox();
  clients = createSandboxAwsClients(sandbox.aws.url);
  registry = connectBasicRegistry(sandbox);
  cluster = await createThrowawayCluster(clients, sandbox.seeded, `ecs-deployments-${run}`);
}, 900_000);

afterAll(async () => {
  if (cluster) await deleteClusterWithInstance(clients, cluster);
  for (const arn of targetGroups) await clients.elbv2.send(new DeleteTargetGroupCommand({ TargetGroupArn: arn }));
  destroySandboxAwsClients(clients);
});

/** Polls until `read` returns something `done` accepts; fails with the last value after a minute. */
async function waitFor<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 60_000;
  let value = await read();
  while (!done(value)) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen; last seen: ${JSON.stringify(value, null, 2)}`);
    await sleep(150);
    value = await read();
  }
  return value;
}

async function pushImage(repository: string, tag: string, behaviour?: SandboxEcsBehaviour, seed?: string) {
  return pushBehaviourImage(registry, `ecs-deployments/${repository}`, tag, behaviour, { seed });
}

async function registerTaskDefinition(family: string, image: string, networkMode?: 'awsvpc'): Promise<string> {
  const { taskDefinition } = await clients.ecs.send(
    new RegisterTaskDefinitionCommand({
      family,
      requiresCompatibilities: ['EC2'],
      ...(networkMode && { networkMode }),
      containerDefinitions: [
        { name: 'app', image, memory: 128, essential: true, portMappings: [{ containerPort: 8000 }] },
      ],
    }),
  );
  return taskDefinition!.taskDefinitionArn!;
}

async function createService(
  name: string,
  taskDefinition: string,
  options: { deploymentConfiguration?: DeploymentConfiguration; targetGroupArn?: string } = {},
) {
  await clients.ecs.send(
    new CreateServiceCommand({
      cluster: cluster.name,
      serviceName: name,
      taskDefinition,
      desiredCount: 1,
      launchType: 'EC2',
      ...(options.deploymentConfiguration && { deploymentConfiguration: options.deploymentConfiguration }),
      ...(options.targetGroupArn && {
        loadBalancers: [{ targetGroupArn: options.targetGroupArn, containerName: 'app', containerPort: 8000 }],
        networkConfiguration: {
          awsvpcConfiguration: {
            subnets: [sandbox.seeded.privateSubnetIds[0]],
            securityGroups: [sandbox.seeded.serviceSecurityGroupId],
          },
        },
      }),
    }),
  );
}

async function describeService(name: string): Promise<Service> {
  const { services } = await clients.ecs.send(new DescribeServicesCommand({ cluster: cluster.name, services: [name] }));
  return services![0]!;
}

async function listDeployments(name: string) {
  const { serviceDeployments } = await clients.ecs.send(
    new ListServiceDeploymentsCommand({ cluster: cluster.name, service: name }),
  );
  return serviceDeployments ?? [];
}

async function describeDeployment(arn: string): Promise<ServiceDeployment> {
  const { serviceDeployments } = await clients.ecs.send(
    new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }),
  );
  return serviceDeployments![0]!;
}

/** The newest service deployment of `name`, once it has one of `statuses`. */
async function waitForDeployment(name: string, statuses: string[]): Promise<ServiceDeployment> {
  const [latest] = await listDeployments(name);
  return waitFor(
    `a ${statuses.join('/')} deployment of ${name}`,
    () => describeDeployment(latest!.serviceDeploymentArn!),
    (deployment) => statuses.includes(deployment.status ?? ''),
  );
}

async function revisionOf(arn: string) {
  const { serviceRevisions } = await clients.ecs.send(
    new DescribeServiceRevisionsCommand({ serviceRevisionArns: [arn] }),
  );
  return serviceRevisions![0]!;
}

async function tasksOf(name: string, desiredStatus: 'RUNNING' | 'STOPPED'): Promise<Task[]> {
  const { taskArns } = await clients.ecs.send(
    new ListTasksCommand({ cluster: cluster.name, serviceName: name, desiredStatus }),
  );
  if (!taskArns?.length) return [];
  const { tasks } = await clients.ecs.send(new DescribeTasksCommand({ cluster: cluster.name, tasks: taskArns }));
  return tasks ?? [];
}

async function createTargetGroup(name: string): Promise<string> {
  const { TargetGroups } = await clients.elbv2.send(
    new CreateTargetGroupCommand({
      Name: name.slice(0, 32),
      Protocol: 'HTTP',
      Port: 8000,
      VpcId: sandbox.seeded.vpcId,
      TargetType: 'ip',
      HealthCheckPath: '/healthz',
    }),
  );
  const arn = TargetGroups![0]!.TargetGroupArn!;
  targetGroups.push(arn);
  return arn;
}

async function targetHealth(arn: string): Promise<TargetHealthDescription[]> {
  const { TargetHealthDescriptions } = await clients.elbv2.send(
    new DescribeTargetHealthCommand({ TargetGroupArn: arn }),
  );
  return TargetHealthDescriptions ?? [];
}

async function deleteService(name: string) {
  await clients.ecs.send(new DeleteServiceCommand({ cluster: cluster.name, service: name, force: true }));
}

describe('sandbox ECS deployments', () => {
  it('a healthy image deploys to SUCCESSFUL, with the tag resolved to the registry digest at deployment start', async () => {
    const name = `healthy-${run}`;
    const image = await pushImage('healthy', 'v1');
    await createService(name, await registerTaskDefinition(name, image.reference));

    const deployment = await waitForDeployment(name, ['SUCCESSFUL']);
    expect(deployment.sourceServiceRevisions).toEqual([]);
    expect(deployment.finishedAt).toBeInstanceOf(Date);
    const revision = await revisionOf(deployment.targetServiceRevision!.arn!);
    expect(revision.containerImages).toEqual([
      { containerName: 'app', image: image.reference, imageDigest: image.digest },
    ]);
    expect(revision.serviceRevisionArn).toMatch(
      new RegExp(`^arn:aws:ecs:us-east-1:\\d{12}:service-revision/${cluster.name}/${name}/\\d+$`),
    );
    expect(deployment.serviceDeploymentArn).toMatch(
      new RegExp(`^arn:aws:ecs:us-east-1:\\d{12}:service-deployment/${cluster.name}/${name}/[\\w-]+$`),
    );

    const service = await describeService(name);
    expect(service).toMatchObject({ status: 'ACTIVE', desiredCount: 1, runningCount: 1, pendingCount: 0 });
    expect(service.deployments).toHaveLength(1);
    expect(service.deployments![0]).toMatchObject({ status: 'PRIMARY', rolloutState: 'COMPLETED', runningCount: 1 });
    expect(service.events![0]!.message).toBe(`(service ${name}) has reached a steady state.`);
    expect(service.events!.map((event) => event.message)).toContainEqual(
      expect.stringMatching(new RegExp(`^\\(service ${name}\\) has started 1 tasks: \\(task \\w+\\)\\.$`)),
    );

    const [task, ...others] = await tasksOf(name, 'RUNNING');
    expect(others).toEqual([]);
    expect(task).toMatchObject({
      lastStatus: 'RUNNING',
      desiredStatus: 'RUNNING',
      startedBy: service.deployments![0]!.id,
      taskDefinitionArn: service.taskDefinition,
      containers: [expect.objectContaining({ image: image.reference, imageDigest: image.digest })],
    });
    await deleteService(name);
  });

  it('moving the tag then forceNewDeployment deploys the new digest; a multi-arch tag resolves to its index', async () => {
    const name = `moved-${run}`;
    const first = await pushImage('moved', 'live', 'healthy', 'first');
    await createService(name, await registerTaskDefinition(name, first.reference));
    const initial = await waitForDeployment(name, ['SUCCESSFUL']);

    const second = await pushImage('moved', 'live', 'healthy', 'second');
    expect(second.digest).not.toBe(first.digest);
    await clients.ecs.send(
      new UpdateServiceCommand({ cluster: cluster.name, service: name, forceNewDeployment: true }),
    );
    const redeployed = await waitForDeployment(name, ['SUCCESSFUL']);
    expect(redeployed.serviceDeploymentArn).not.toBe(initial.serviceDeploymentArn);
    expect(redeployed.sourceServiceRevisions?.map((source) => source.arn)).toEqual([
      initial.targetServiceRevision!.arn,
    ]);
    expect((await revisionOf(redeployed.targetServiceRevision!.arn!)).containerImages?.[0]?.imageDigest).toBe(
      second.digest,
    );
    expect((await revisionOf(initial.targetServiceRevision!.arn!)).containerImages?.[0]?.imageDigest).toBe(
      first.digest,
    );

    const multiArch = await pushBehaviourImage(registry, 'ecs-deployments/moved', 'multi', 'healthy', {
      multiArch: true,
    });
    await clients.ecs.send(
      new UpdateServiceCommand({
        cluster: cluster.name,
        service: name,
        taskDefinition: await registerTaskDefinition(name, multiArch.reference),
      }),
    );
    const third = await waitForDeployment(name, ['SUCCESSFUL']);
    expect((await revisionOf(third.targetServiceRevision!.arn!)).containerImages?.[0]?.imageDigest).toBe(
      multiArch.digest,
    );
    expect((await listDeployments(name)).map((deployment) => deployment.status)).toEqual([
      'SUCCESSFUL',
      'SUCCESSFUL',
      'SUCCESSFUL',
    ]);
    await deleteService(name);
  });

  it('a crashing image with the circuit breaker and rollback rolls back to the previous revision', async () => {
    const name = `crash-${run}`;
    const good = await pushImage('crash', 'good');
    const bad = await pushImage('crash', 'bad', 'crash');
    const goodDefinition = await registerTaskDefinition(name, good.reference);
    await createService(name, goodDefinition, { deploymentConfiguration: withRollback });
    const initial = await waitForDeployment(name, ['SUCCESSFUL']);

    await clients.ecs.send(
      new UpdateServiceCommand({
        cluster: cluster.name,
        service: name,
        taskDefinition: await registerTaskDefinition(name, bad.reference),
      }),
    );
    const rolledBack = await waitForDeployment(name, ['ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED', 'STOPPED']);
    expect(rolledBack.status).toBe('ROLLBACK_SUCCESSFUL');
    expect(rolledBack.rollback).toMatchObject({
      reason: 'ECS deployment circuit breaker: tasks failed to start.',
      serviceRevisionArn: initial.targetServiceRevision!.arn,
    });
    expect(rolledBack.rollback!.startedAt).toBeInstanceOf(Date);
    expect(rolledBack.deploymentCircuitBreaker).toMatchObject({ status: 'TRIGGERED', failureCount: 3, threshold: 3 });

    const service = await describeService(name);
    expect(service.taskDefinition).toBe(goodDefinition);
    expect(service.deployments).toHaveLength(1);
    expect(service.deployments![0]).toMatchObject({
      status: 'PRIMARY',
      taskDefinition: goodDefinition,
      rolloutState: 'COMPLETED',
    });
    const messages = service.events!.map((event) => event.message);
    expect(messages).toContainEqual(
      expect.stringMatching(
        new RegExp(`^\\(service ${name}\\) deployment ecs-svc/\\d+ deployment failed: tasks failed to start\\.$`),
      ),
    );
    expect(messages).toContainEqual(
      expect.stringMatching(new RegExp(`^\\(service ${name}\\) rolling back to deployment ecs-svc/\\d+\\.$`)),
    );

    const running = await tasksOf(name, 'RUNNING');
    expect(running.map((task) => task.containers?.[0]?.imageDigest)).toEqual([good.digest]);
    const crashed = (await tasksOf(name, 'STOPPED')).filter((task) => task.stopCode === 'EssentialContainerExited');
    expect(crashed.length).toBeGreaterThanOrEqual(3);
    for (const task of crashed) {
      expect(task).toMatchObject({
        lastStatus: 'STOPPED',
        stoppedReason: 'Essential container in task exited',
        containers: [expect.objectContaining({ exitCode: 1, imageDigest: bad.digest })],
      });
    }
    await deleteService(name);
  });

  it('a crashing image with the circuit breaker but no rollback stops the deployment as FAILED', async () => {
    const name = `crash-stop-${run}`;
    const good = await pushImage('crash-stop', 'good');
    const bad = await pushImage('crash-stop', 'bad', 'crash');
    await createService(name, await registerTaskDefinition(name, good.reference), {
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: false } },
    });
    await waitForDeployment(name, ['SUCCESSFUL']);
    const badDefinition = await registerTaskDefinition(name, bad.reference);
    await clients.ecs.send(
      new UpdateServiceCommand({ cluster: cluster.name, service: name, taskDefinition: badDefinition }),
    );

    const stopped = await waitForDeployment(name, ['STOPPED', 'ROLLBACK_SUCCESSFUL', 'SUCCESSFUL']);
    expect(stopped).toMatchObject({
      status: 'STOPPED',
      statusReason: 'ECS deployment circuit breaker: tasks failed to start.',
    });
    const service = await describeService(name);
    expect(service.deployments![0]).toMatchObject({
      status: 'PRIMARY',
      taskDefinition: badDefinition,
      rolloutState: 'FAILED',
      rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.',
      failedTasks: 3,
    });
    // The old revision keeps serving; a FAILED deployment launches no more tasks.
    expect(service.deployments![1]).toMatchObject({ status: 'ACTIVE', runningCount: 1 });
    await deleteService(name);
  });

  it('an unhealthy image on a routed service fails its target group health check, as DescribeTargetHealth says', async () => {
    const name = `unhealthy-${run}`;
    const targetGroupArn = await createTargetGroup(`uh-${run}`);
    const image = await pushImage('unhealthy', 'v1', 'unhealthy');
    await createService(name, await registerTaskDefinition(name, image.reference, 'awsvpc'), { targetGroupArn });

    // Each target's answers until one is unhealthy: `initial` while its check runs (how many polls see it
    // depends on the machine), then `unhealthy`; nothing else, in no other order.
    const seen = new Map<string, string[]>();
    const unhealthy = await waitFor(
      'an unhealthy target',
      async () => {
        const targets = await targetHealth(targetGroupArn);
        for (const { Target, TargetHealth } of targets) {
          const states = seen.get(Target!.Id!) ?? [];
          seen.set(Target!.Id!, [...states, `${TargetHealth?.State}/${TargetHealth?.Reason}`]);
        }
        return targets;
      },
      (targets) => targets.some((target) => target.TargetHealth?.State === 'unhealthy'),
    );
    for (const states of seen.values()) {
      expect(states.join(' ')).toMatch(
        /^(initial\/Elb\.RegistrationInProgress ?)*(unhealthy\/Target\.ResponseCodeMismatch)?$/,
      );
    }
    expect(unhealthy.find((target) => target.TargetHealth?.State === 'unhealthy')!.TargetHealth).toEqual({
      State: 'unhealthy',
      Reason: 'Target.ResponseCodeMismatch',
      Description: 'Health checks failed with these codes: [503]',
    });
    expect(unhealthy[0]!.Target?.Port).toBe(8000);

    const failed = await waitFor(
      'a task stopped for failing its health check',
      () => tasksOf(name, 'STOPPED'),
      (tasks) => tasks.some((task) => task.lastStatus === 'STOPPED'),
    );
    expect(failed.find((task) => task.lastStatus === 'STOPPED')).toMatchObject({
      stoppedReason: `Task failed ELB health checks in (target-group ${targetGroupArn})`,
      stopCode: 'ServiceSchedulerInitiated',
    });
    const service = await describeService(name);
    expect(service.deployments![0]!.rolloutState).toBe('IN_PROGRESS');
    expect(service.deployments![0]!.failedTasks).toBeGreaterThanOrEqual(1);
    expect(service.events!.map((event) => event.message)).toContainEqual(
      expect.stringContaining(`is unhealthy in (target-group ${targetGroupArn}) due to (reason Health checks failed`),
    );
    await deleteService(name);
  });

  it('a healthy routed service registers its task, healthy once checked, draining once deleted', async () => {
    const name = `routed-${run}`;
    const targetGroupArn = await createTargetGroup(`rt-${run}`);
    const image = await pushImage('routed', 'v1');
    await createService(name, await registerTaskDefinition(name, image.reference, 'awsvpc'), { targetGroupArn });
    await waitForDeployment(name, ['SUCCESSFUL']);
    const [target, ...others] = await targetHealth(targetGroupArn);
    expect(others).toEqual([]);
    expect(target!.TargetHealth).toEqual({ State: 'healthy' });
    await deleteService(name);
    const draining = await targetHealth(targetGroupArn);
    expect(draining[0]!.TargetHealth).toMatchObject({ State: 'draining', Reason: 'Target.DeregistrationInProgress' });
  });

  it('a slow image takes its declared seconds longer to be RUNNING', async () => {
    const name = `slow-${run}`;
    const image = await pushImage('slow', 'v1', 'slow=2');
    await createService(name, await registerTaskDefinition(name, image.reference));
    const inProgress = await describeService(name);
    expect(inProgress.deployments![0]!.rolloutState).toBe('IN_PROGRESS');
    await waitForDeployment(name, ['SUCCESSFUL']);
    const [task] = await tasksOf(name, 'RUNNING');
    // The sandbox's own timestamps, not the test's clock: startedAt is at least the declared 2 s after createdAt.
    expect(task!.startedAt!.getTime() - task!.createdAt!.getTime()).toBeGreaterThanOrEqual(2000);
    await deleteService(name);
  });

  it('StopServiceDeployment with stopType ROLLBACK rolls an in-progress deployment back', async () => {
    const name = `stop-${run}`;
    const good = await pushImage('stop', 'good');
    const slow = await pushImage('stop', 'slow', 'slow=30');
    const goodDefinition = await registerTaskDefinition(name, good.reference);
    await createService(name, goodDefinition);
    const initial = await waitForDeployment(name, ['SUCCESSFUL']);
    await clients.ecs.send(
      new UpdateServiceCommand({
        cluster: cluster.name,
        service: name,
        taskDefinition: await registerTaskDefinition(name, slow.reference),
      }),
    );
    const inProgress = await waitForDeployment(name, ['IN_PROGRESS']);
    const { serviceDeploymentArn } = await clients.ecs.send(
      new StopServiceDeploymentCommand({
        serviceDeploymentArn: inProgress.serviceDeploymentArn,
        stopType: 'ROLLBACK',
      }),
    );
    expect(serviceDeploymentArn).toBe(inProgress.serviceDeploymentArn);
    const rolledBack = await waitForDeployment(name, ['ROLLBACK_SUCCESSFUL']);
    expect(rolledBack.rollback?.serviceRevisionArn).toBe(initial.targetServiceRevision!.arn);
    expect((await describeService(name)).taskDefinition).toBe(goodDefinition);
    await expect(
      clients.ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: initial.serviceDeploymentArn })),
    ).rejects.toThrow(/can no longer be stopped/);
    await deleteService(name);
  });

  it('an image the sandbox cannot pull fails its tasks with CannotPullContainerError, replaced ever more slowly', async () => {
    const name = `unpullable-${run}`;
    const image = `${registry.host}/ecs-deployments/missing:nope`;
    await createService(name, await registerTaskDefinition(name, image));
    const stopped = await waitFor(
      'a task that failed to start',
      () => tasksOf(name, 'STOPPED'),
      (tasks) => tasks.length > 0,
    );
    expect(stopped[0]).toMatchObject({ lastStatus: 'STOPPED', stopCode: 'TaskFailedToStart' });
    expect(stopped[0]!.stoppedReason).toMatch(/^CannotPullContainerError: .*missing:nope.*not found/);
    const [deployment] = await listDeployments(name);
    const revision = await revisionOf(deployment!.targetServiceRevisionArn!);
    expect(revision.containerImages).toEqual([{ containerName: 'app', image }]);
    // Without a circuit breaker ECS keeps replacing the failed tasks, throttling the launches after a few.
    const throttled = await waitFor(
      'the launch throttle event',
      () => describeService(name),
      (service) =>
        (service.events ?? []).some((event) => event.message?.includes('unable to consistently start tasks')),
    );
    expect(throttled.deployments![0]).toMatchObject({ rolloutState: 'IN_PROGRESS', runningCount: 0 });
    expect(throttled.deployments![0]!.failedTasks).toBeGreaterThanOrEqual(4);
    await deleteService(name);
  });

  it('DeleteService with a running task is DRAINING, and unlisted, until the task is stopping, then INACTIVE', async () => {
    const name = `delete-${run}`;
    const image = await pushImage('delete', 'v1');
    await createService(name, await registerTaskDefinition(name, image.reference));
    await waitForDeployment(name, ['SUCCESSFUL']);
    const { service } = await clients.ecs.send(
      new DeleteServiceCommand({ cluster: cluster.name, service: name, force: true }),
    );
    expect(service?.status).toBe('DRAINING');
    const { serviceArns } = await clients.ecs.send(new ListServicesCommand({ cluster: cluster.name }));
    expect(serviceArns).not.toContain(service?.serviceArn);
    const inactive = await waitFor(
      'the service to be INACTIVE',
      () => describeService(name),
      (s) => s.status === 'INACTIVE',
    );
    expect(inactive.runningCount).toBe(0);
    const [stopping] = await tasksOf(name, 'STOPPED');
    expect(['STOPPING', 'STOPPED']).toContain(stopping?.lastStatus);
    expect(stopping).toMatchObject({ desiredStatus: 'STOPPED', stopCode: 'ServiceSchedulerInitiated' });
    // "When you delete a service, Amazon ECS deletes the corresponding service deployments."
    expect(await listDeployments(name)).toEqual([]);
    await expect(
      clients.ecs.send(new UpdateServiceCommand({ cluster: cluster.name, service: name, desiredCount: 1 })),
    ).rejects.toMatchObject({ name: 'ServiceNotActiveException' });
  });
});
