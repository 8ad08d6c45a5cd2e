import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeSubnetsCommand } from '@aws-sdk/client-ec2';
import { DescribeRepositoriesCommand } from '@aws-sdk/client-ecr';
import {
  CreateServiceCommand,
  DeleteServiceCommand,
  DeleteTaskDefinitionsCommand,
  DeregisterTaskDefinitionCommand,
  DescribeTaskDefinitionCommand,
  DescribeContainerInstancesCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ListServiceDeploymentsCommand,
  ListServicesCommand,
  ListTaskDefinitionsCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { DescribeListenersCommand, DescribeLoadBalancersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { createSandboxAwsClients, destroySandboxAwsClients, type SandboxAwsClients } from '../sandbox/aws-clients.js';
import { pushBehaviourImage } from '../sandbox/behaviour-image.js';
import type { SandboxEndpoints } from '../sandbox/endpoints.js';
import { connectBasicRegistry } from '../sandbox/basic-registry.js';
import { ensureSandbox } from '../sandbox/ensure.js';
import { createThrowawayCluster, deleteClusterWithInstance } from '../sandbox/seed-aws.js';
import { waitUntil } from '../sandbox/wait.js';

const run = promisify(execFile);

// Debian's awscli (2.9) predates AWS_ENDPOINT_URL, so the endpoint is passed explicitly: without it the CLI
// would try the real AWS.
const awsCli = '/usr/bin/aws';

let sandbox: SandboxEndpoints;
let clients: SandboxAwsClients;
// Tests that change ECS state use their own cluster, so nothing they leave (tasks still draining, services still
// INACTIVE in DescribeServices) shows up in the seeded clusters other suites read.
let cluster: { name: string; arn: string; containerInstanceArn: string };

async function runAwsCli(args: string[]): Promise<unknown> {
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/root',
    ...sandbox.env,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  };
  const { stdout } = await run(
    awsCli,
    ['--endpoint-url', sandbox.env.AWS_ENDPOINT_URL!, '--output', 'json', '--no-cli-pager', ...args],
    { env, timeout: 60_000 },
  );
  return JSON.parse(stdout);
}

function uniqueName(prefix: string): string {
  return `fidelity-${prefix}-${process.pid}-${Date.now().toString(36)}`;
}

async function registerTaskDefinition(family: string, image = 'nginx:alpine'): Promise<string> {
  await clients.ecs.send(
    new RegisterTaskDefinitionCommand({
      family,
      requiresCompatibilities: ['EC2'],
      containerDefinitions: [{ name: 'app', image, memory: 128, essential: true }],
    }),
  );
  return family;
}

/** An image in the sandbox's basic registry that the sandbox's ECS can pull (healthy: no behaviour label). */
async function pushHealthyImage(repository: string): Promise<string> {
  return (await pushBehaviourImage(connectBasicRegistry(sandbox), repository, 'v1', undefined)).reference;
}

async function createEc2Service(name: string, desiredCount: number, image?: string) {
  const taskDefinition = await registerTaskDefinition(name, image);
  await clients.ecs.send(
    new CreateServiceCommand({
      cluster: cluster.name,
      serviceName: name,
      taskDefinition,
      desiredCount,
      launchType: 'EC2',
    }),
  );
}

async function readCounts(service: string) {
  const { services } = await clients.ecs.send(
    new DescribeServicesCommand({ cluster: cluster.name, services: [service] }),
  );
  return { desired: services?.[0]?.desiredCount, running: services?.[0]?.runningCount };
}

async function waitForRunning(service: string, running: number) {
  await waitUntil(`${service} to run ${running} tasks`, async () => (await readCounts(service)).running === running, {
    timeoutMs: 60_000,
    intervalMs: 150,
  });
}

async function listServiceTasks(service: string, desiredStatus?: 'STOPPED') {
  const { taskArns } = await clients.ecs.send(
    new ListTasksCommand({ cluster: cluster.name, serviceName: service, ...(desiredStatus && { desiredStatus }) }),
  );
  return taskArns ?? [];
}

beforeAll(async () => {
  sandbox = await ensureSandbox();
  // Through the fault proxy, as the actions will talk to AWS.
  clients = createSandboxAwsClients(sandbox.aws.url);
  cluster = await createThrowawayCluster(clients, sandbox.seeded, uniqueName('cluster'));
}, 900_000);

afterAll(async () => {
  if (cluster) await deleteClusterWithInstance(clients, cluster);
  destroySandboxAwsClients(clients);
});

describe('sandbox AWS (moto) fidelity', () => {
  it('the aws CLI lists both seeded clusters', async () => {
    const listed = (await runAwsCli(['ecs', 'list-clusters'])) as { clusterArns: string[] };
    expect(listed.clusterArns).toEqual(
      expect.arrayContaining([sandbox.seeded.clusterArns.previews, sandbox.seeded.clusterArns.production]),
    );
  });

  it('a service created through the SDK is listed by the aws CLI', async () => {
    const name = uniqueName('listed');
    await createEc2Service(name, 1);
    try {
      const listed = (await runAwsCli(['ecs', 'list-services', '--cluster', cluster.name])) as {
        serviceArns: string[];
      };
      expect(listed.serviceArns.some((arn) => arn.endsWith(`/${name}`))).toBe(true);
    } finally {
      await clients.ecs.send(new DeleteServiceCommand({ cluster: cluster.name, service: name, force: true }));
    }
  });

  // The sandbox's ECS life cycle (test/sandbox/moto-ecs): tasks start, run and count as they do on ECS.
  it('runningCount follows the tasks: desired once they run, and a desiredCount change starts no deployment', async () => {
    const name = uniqueName('counts');
    const other = uniqueName('other');
    await createEc2Service(name, 2, await pushHealthyImage('fidelity/counts'));
    await createEc2Service(other, 1, await pushHealthyImage('fidelity/other'));
    try {
      expect(await readCounts(name)).toEqual({ desired: 2, running: 0 });
      await waitForRunning(name, 2);
      await clients.ecs.send(new UpdateServiceCommand({ cluster: cluster.name, service: name, desiredCount: 3 }));
      expect(await readCounts(name)).toEqual({ desired: 3, running: 2 });
      await waitForRunning(name, 3);
      await waitForRunning(other, 1);
      // ListTasks honours serviceName: only this service's three tasks.
      const tasks = await listServiceTasks(name);
      expect(tasks).toHaveLength(3);
      expect(await listServiceTasks(other)).not.toEqual(expect.arrayContaining([tasks[0]]));
      const { serviceDeployments } = await clients.ecs.send(
        new ListServiceDeploymentsCommand({ cluster: cluster.name, service: name }),
      );
      expect(serviceDeployments).toHaveLength(1);
    } finally {
      for (const service of [name, other]) {
        await clients.ecs.send(new DeleteServiceCommand({ cluster: cluster.name, service, force: true }));
      }
    }
  });

  it('an image from outside the sandbox (Docker Hub) cannot be pulled: its tasks stop with CannotPullContainerError', async () => {
    const name = uniqueName('docker-hub');
    await createEc2Service(name, 1);
    try {
      await waitUntil(`a stopped task of ${name}`, async () => (await listServiceTasks(name, 'STOPPED')).length > 0, {
        timeoutMs: 60_000,
        intervalMs: 150,
      });
      const { tasks } = await clients.ecs.send(
        new DescribeTasksCommand({ cluster: cluster.name, tasks: await listServiceTasks(name, 'STOPPED') }),
      );
      expect(tasks?.[0]).toMatchObject({ lastStatus: 'STOPPED', stopCode: 'TaskFailedToStart' });
      expect(tasks?.[0]?.stoppedReason).toMatch(/^CannotPullContainerError: .*nginx:alpine/);
      expect((await readCounts(name)).running).toBe(0);
    } finally {
      await clients.ecs.send(new DeleteServiceCommand({ cluster: cluster.name, service: name, force: true }));
    }
  });

  it('ListServices leaves out a deleted service once it is INACTIVE', async () => {
    const name = uniqueName('deleted');
    await createEc2Service(name, 0);
    await clients.ecs.send(new DeleteServiceCommand({ cluster: cluster.name, service: name }));
    const { serviceArns } = await clients.ecs.send(new ListServicesCommand({ cluster: cluster.name }));
    expect(serviceArns?.some((arn) => arn.endsWith(`/${name}`))).toBe(false);
    const { services } = await clients.ecs.send(
      new DescribeServicesCommand({ cluster: cluster.name, services: [name] }),
    );
    expect(services?.[0]?.status).toBe('INACTIVE');
  });

  it('DeleteTaskDefinitions deletes INACTIVE revisions only, never reusing a revision number', async () => {
    const family = uniqueName('deletable');
    const register = async () =>
      (
        await clients.ecs.send(
          new RegisterTaskDefinitionCommand({
            family,
            containerDefinitions: [{ name: 'app', image: 'busybox', memory: 64, essential: true }],
          }),
        )
      ).taskDefinition!.taskDefinitionArn!;
    const [first, second] = [await register(), await register()];
    await clients.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: first }));
    const answer = await clients.ecs.send(
      new DeleteTaskDefinitionsCommand({ taskDefinitions: [first, second, `${family}:9`] }),
    );
    expect(answer.taskDefinitions?.map((t) => [t.taskDefinitionArn, t.status])).toEqual([
      [first, 'DELETE_IN_PROGRESS'],
    ]);
    expect(answer.failures?.map((f) => [f.arn, f.reason])).toEqual([
      [second, expect.stringContaining('still in ACTIVE status')],
      [`${family}:9`, 'The specified task definition does not exist.'],
    ]);
    const { taskDefinitionArns } = await clients.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: family }));
    expect(taskDefinitionArns).toEqual([second]);
    const { taskDefinition } = await clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: first }));
    expect(taskDefinition?.status).toBe('DELETE_IN_PROGRESS');
    expect(await register()).toBe(second.replace(/:2$/, ':3'));
  });

  it('each seeded cluster has an ACTIVE EC2 container instance', async () => {
    const { seeded } = sandbox;
    for (const key of ['previews', 'production'] as const) {
      const { containerInstances } = await clients.ecs.send(
        new DescribeContainerInstancesCommand({
          cluster: seeded.clusters[key],
          containerInstances: [seeded.containerInstanceArns[key]],
        }),
      );
      expect(containerInstances?.[0]).toMatchObject({ status: 'ACTIVE', agentConnected: true });
    }
  });

  it('RunTask with launch type EC2 places a running task on a container instance registered as up does', async () => {
    const family = await registerTaskDefinition(uniqueName('task'));
    const { tasks, failures } = await clients.ecs.send(
      new RunTaskCommand({ cluster: cluster.name, taskDefinition: family, launchType: 'EC2' }),
    );
    try {
      expect(failures).toEqual([]);
      expect(tasks?.[0]).toMatchObject({ lastStatus: 'RUNNING', containerInstanceArn: cluster.containerInstanceArn });
    } finally {
      for (const task of tasks ?? []) {
        await clients.ecs.send(new StopTaskCommand({ cluster: cluster.name, task: task.taskArn }));
      }
    }
  });

  it('seeded the network, the ALB with its HTTPS listener, ECR repositories and the log group', async () => {
    const { seeded } = sandbox;
    const subnets = await clients.ec2.send(
      new DescribeSubnetsCommand({ SubnetIds: [...seeded.publicSubnetIds, ...seeded.privateSubnetIds] }),
    );
    expect(new Set(subnets.Subnets?.map((subnet) => subnet.VpcId))).toEqual(new Set([seeded.vpcId]));
    expect(new Set(subnets.Subnets?.map((subnet) => subnet.AvailabilityZone))).toEqual(
      new Set(seeded.availabilityZones),
    );

    const balancers = await clients.elbv2.send(new DescribeLoadBalancersCommand({ Names: [seeded.loadBalancer.name] }));
    expect(balancers.LoadBalancers?.[0]).toMatchObject({
      Scheme: 'internet-facing',
      DNSName: seeded.loadBalancer.dnsName,
    });
    const listeners = await clients.elbv2.send(
      new DescribeListenersCommand({ LoadBalancerArn: seeded.loadBalancer.arn }),
    );
    expect(listeners.Listeners?.[0]).toMatchObject({
      ListenerArn: seeded.loadBalancer.httpsListenerArn,
      Protocol: 'HTTPS',
      Port: 443,
      Certificates: [{ CertificateArn: seeded.loadBalancer.certificateArn }],
      DefaultActions: [
        expect.objectContaining({
          Type: 'fixed-response',
          FixedResponseConfig: expect.objectContaining({ StatusCode: '404' }),
        }),
      ],
    });

    const repositories = await clients.ecr.send(new DescribeRepositoriesCommand({}));
    expect(repositories.repositories?.map((repository) => repository.repositoryUri)).toEqual(
      expect.arrayContaining(Object.values(seeded.ecrRepositories)),
    );
    const groups = await clients.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: seeded.logGroup }));
    expect(groups.logGroups?.map((group) => group.logGroupName)).toContain('/ecs/pr-environments');
  });

  it('the aws CLI through the proxy and the SDK directly see the same seeded load balancer', async () => {
    const { name } = sandbox.seeded.loadBalancer;
    const viaCli = (await runAwsCli(['elbv2', 'describe-load-balancers', '--names', name])) as {
      LoadBalancers: Array<{ LoadBalancerArn: string; DNSName: string }>;
    };
    const direct = createSandboxAwsClients(sandbox.aws.directUrl);
    try {
      const viaSdk = await direct.elbv2.send(new DescribeLoadBalancersCommand({ Names: [name] }));
      expect(viaCli.LoadBalancers).toHaveLength(1);
      expect(viaCli.LoadBalancers[0]).toMatchObject({
        LoadBalancerArn: viaSdk.LoadBalancers?.[0]?.LoadBalancerArn,
        DNSName: viaSdk.LoadBalancers?.[0]?.DNSName,
      });
    } finally {
      destroySandboxAwsClients(direct);
    }
  });
});
