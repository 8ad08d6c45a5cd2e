import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  CreateServiceCommand,
  DeleteServiceCommand,
  DeregisterTaskDefinitionCommand,
  DescribeClustersCommand,
  DescribeServicesCommand,
  ECSClient,
  ListClustersCommand,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import {
  CreateRuleCommand,
  CreateTargetGroupCommand,
  DeleteRuleCommand,
  DeleteTargetGroupCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { ensureSandbox } from '../sandbox/ensure.js';
import type { SandboxEndpoints } from '../sandbox/endpoints.js';
import { createFaultProxyClient, type FaultProxyClient } from '../sandbox/fault-proxy/client.js';
import { startFaultProxy, type FaultProxy } from '../sandbox/fault-proxy/server.js';

// A private proxy in front of the sandbox's moto, so these rules never reach tests using the shared proxy.
describe('fault proxy in front of moto, through the AWS SDK v3', () => {
  let sandbox: SandboxEndpoints;
  let proxy: FaultProxy;
  let admin: FaultProxyClient;

  beforeAll(async () => {
    sandbox = await ensureSandbox();
    proxy = await startFaultProxy({ targets: { aws: { url: sandbox.aws.directUrl, kind: 'aws' } } });
    admin = createFaultProxyClient(proxy.adminUrl);
  });

  afterAll(async () => {
    await proxy?.close();
  });

  beforeEach(async () => {
    await admin.reset();
  });

  const config = (endpoint: string, maxAttempts: number) => ({
    endpoint,
    region: sandbox.aws.region,
    credentials: { accessKeyId: sandbox.aws.accessKeyId, secretAccessKey: sandbox.aws.secretAccessKey },
    maxAttempts,
  });
  const ecs = (maxAttempts = 3) => new ECSClient(config(proxy.urls.aws!, maxAttempts));
  const elbv2 = (maxAttempts = 3) => new ElasticLoadBalancingV2Client(config(proxy.urls.aws!, maxAttempts));
  const directElbv2 = () => new ElasticLoadBalancingV2Client(config(sandbox.aws.directUrl, 1));
  const directEcs = () => new ECSClient(config(sandbox.aws.directUrl, 1));
  const uniqueName = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex')}`;

  it('moto answers calls forwarded with the Host header the SDK signed', async () => {
    const clusters = await ecs().send(new ListClustersCommand({}));
    expect(clusters.clusterArns).toEqual(expect.arrayContaining(Object.values(sandbox.seeded.clusterArns)));
    const balancers = await elbv2().send(
      new DescribeLoadBalancersCommand({ Names: [sandbox.seeded.loadBalancer.name] }),
    );
    expect(balancers.LoadBalancers?.[0]?.LoadBalancerArn).toBe(sandbox.seeded.loadBalancer.arn);
    expect((await admin.counters()).aws).toEqual({
      'ecs:ListClusters': { calls: 1, mutating: 0, faulted: 0 },
      'elasticloadbalancing:DescribeLoadBalancers': { calls: 1, mutating: 0, faulted: 0 },
    });
  });

  it('ECS ThrottlingException is retried by the SDK within its budget, then surfaced', async () => {
    await admin.addRules({ operation: 'ecs:DescribeClusters', throttle: 2 });
    const described = await ecs(3).send(new DescribeClustersCommand({ clusters: [sandbox.seeded.clusters.previews] }));
    expect(described.clusters?.[0]?.status).toBe('ACTIVE');
    expect(described.$metadata.attempts).toBe(3);

    await admin.addRules({ operation: 'ecs:*', throttle: 3 });
    const error = (await ecs(3)
      .send(new DescribeClustersCommand({ clusters: [sandbox.seeded.clusters.previews] }))
      .catch((e: unknown) => e)) as Error & { $metadata: { attempts: number; httpStatusCode: number } };
    expect(error.name).toBe('ThrottlingException');
    expect(error.$metadata).toMatchObject({ attempts: 3, httpStatusCode: 400 });
    expect((await admin.counters()).aws?.['ecs:DescribeClusters']).toEqual({ calls: 6, mutating: 0, faulted: 5 });
  });

  it('ELBv2 Throttling (query protocol) on CreateRule is retried and the rule is created once', async () => {
    const listenerArn = sandbox.seeded.loadBalancer.httpsListenerArn;
    await admin.addRules({ operation: 'elasticloadbalancing:CreateRule', throttle: 1 });
    const priority = 40000 + Math.floor(Math.random() * 9000);
    const created = await elbv2().send(
      new CreateRuleCommand({
        ListenerArn: listenerArn,
        Priority: priority,
        Conditions: [{ Field: 'host-header', HostHeaderConfig: { Values: [`${uniqueName('pr')}.example.com`] } }],
        Actions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '204' } }],
      }),
    );
    try {
      expect(created.$metadata.attempts).toBe(2);
      const rules = await directElbv2().send(new DescribeRulesCommand({ ListenerArn: listenerArn }));
      expect(rules.Rules?.filter((rule) => rule.Priority === String(priority))).toHaveLength(1);
      expect((await admin.counters()).aws?.['elasticloadbalancing:CreateRule']).toEqual({
        calls: 2,
        mutating: 2,
        faulted: 1,
      });
    } finally {
      await directElbv2().send(new DeleteRuleCommand({ RuleArn: created.Rules![0]!.RuleArn! }));
    }

    await admin.addRules({ operation: 'elasticloadbalancing:Describe*', throttle: 2 });
    const error = (await elbv2(2)
      .send(new DescribeRulesCommand({ ListenerArn: listenerArn }))
      .catch((e: unknown) => e)) as Error & { $metadata: { attempts: number } };
    expect(error.name).toBe('Throttling');
    expect(error.message).toBe('Rate exceeded');
    expect(error.$metadata.attempts).toBe(2);
  });

  it('EC2 throttles with RequestLimitExceeded, which the SDK retries', async () => {
    const ec2 = new EC2Client(config(proxy.urls.aws!, 2));
    await admin.addRules({ operation: 'ec2:DescribeVpcs', throttle: 1 });
    const vpcs = await ec2.send(new DescribeVpcsCommand({ VpcIds: [sandbox.seeded.vpcId] }));
    expect(vpcs.Vpcs?.[0]?.VpcId).toBe(sandbox.seeded.vpcId);
    expect(vpcs.$metadata.attempts).toBe(2);

    await admin.addRules({ operation: 'ec2:DescribeVpcs', throttle: 2 });
    const error = (await ec2.send(new DescribeVpcsCommand({})).catch((e: unknown) => e)) as Error;
    expect(error.name).toBe('RequestLimitExceeded');
  });

  it('a 5xx on a mutating ECS call is retried and moto holds one service; failNthMutating hits only the k-th write', async () => {
    const family = uniqueName('fault-proxy');
    const serviceName = uniqueName('fault-proxy');
    const cluster = sandbox.seeded.clusters.previews;
    await admin.addRules({ operation: 'ecs:CreateService', status5xx: { times: 1, code: 500 } });
    await admin.addRules({ target: 'aws', failNthMutating: 3 });
    const client = ecs(3);
    const registered = await client.send(
      new RegisterTaskDefinitionCommand({
        family,
        containerDefinitions: [{ name: 'app', image: 'public.ecr.aws/nginx/nginx:latest', memory: 64 }],
      }),
    );
    const taskDefinitionArn = registered.taskDefinition!.taskDefinitionArn!;
    try {
      const created = await client.send(
        new CreateServiceCommand({ cluster, serviceName, taskDefinition: taskDefinitionArn, desiredCount: 0 }),
      );
      expect(created.$metadata.attempts).toBe(3);
      const described = await directEcs().send(new DescribeServicesCommand({ cluster, services: [serviceName] }));
      expect(described.services?.map((service) => service.status)).toEqual(['ACTIVE']);

      // writes: RegisterTaskDefinition (1), CreateService 5xx from rule 1 (2), its retry (3) failed by rule 2, then success
      const counters = (await admin.counters()).aws;
      expect(counters?.['ecs:RegisterTaskDefinition']).toEqual({ calls: 1, mutating: 1, faulted: 0 });
      expect(counters?.['ecs:CreateService']).toEqual({ calls: 3, mutating: 3, faulted: 2 });
    } finally {
      await directEcs().send(new DeleteServiceCommand({ cluster, service: serviceName, force: true }));
      await directEcs().send(new DeregisterTaskDefinitionCommand({ taskDefinition: taskDefinitionArn }));
    }
  });

  it('expired credentials: after the k-th call, every call signed with that key is refused (ExpiredTokenException, not retried); another key goes through', async () => {
    const expiring = {
      ...config(proxy.urls.aws!, 3),
      credentials: { accessKeyId: 'AKIAEXPIRING', secretAccessKey: 'x' },
    };
    const renewed = {
      ...config(proxy.urls.aws!, 3),
      credentials: { accessKeyId: 'AKIARENEWED', secretAccessKey: 'y' },
    };
    await admin.addRules({
      target: 'aws',
      operation: 'ecs:*',
      accessKeyId: 'AKIAEXPIRING',
      afterCalls: 2,
      expiredToken: true,
    });
    const old = new ECSClient(expiring);
    for (let i = 0; i < 2; i++) expect((await old.send(new ListClustersCommand({}))).clusterArns).toBeDefined();
    for (let i = 0; i < 3; i++) {
      const error = (await old.send(new ListClustersCommand({})).catch((e: unknown) => e)) as Error & {
        $metadata: { httpStatusCode?: number; attempts?: number };
      };
      expect({ name: error.name, status: error.$metadata.httpStatusCode, attempts: error.$metadata.attempts }).toEqual({
        name: 'ExpiredTokenException',
        status: 400,
        attempts: 1,
      });
      expect(error.message).toBe('The security token included in the request is expired');
    }
    expect((await new ECSClient(renewed).send(new ListClustersCommand({}))).clusterArns).toBeDefined();
    expect((await admin.counters()).aws?.['ecs:ListClusters']).toEqual({ calls: 6, mutating: 0, faulted: 3 });
    const otherService = (await new ElasticLoadBalancingV2Client(expiring)
      .send(new DescribeLoadBalancersCommand({}))
      .then(() => 'answered')) as string;
    expect(otherService).toBe('answered');
    await admin.reset();
    await admin.addRules({ target: 'aws', operation: 'elasticloadbalancing:*', expiredToken: 1 });
    const queryError = (await new ElasticLoadBalancingV2Client(expiring)
      .send(new DescribeLoadBalancersCommand({}))
      .catch((e: unknown) => e)) as Error;
    expect(queryError.name).toBe('ExpiredToken');
  });

  it('a reset on CreateTargetGroup is retried by the SDK and the target group exists once', async () => {
    const name = uniqueName('fp');
    await admin.addRules({ operation: 'elasticloadbalancing:CreateTargetGroup', reset: 1 });
    const created = await elbv2().send(
      new CreateTargetGroupCommand({
        Name: name,
        Protocol: 'HTTP',
        Port: 80,
        VpcId: sandbox.seeded.vpcId,
        TargetType: 'ip',
      }),
    );
    try {
      expect(created.$metadata.attempts).toBe(2);
      const groups = await directElbv2().send(new DescribeTargetGroupsCommand({ Names: [name] }));
      expect(groups.TargetGroups).toHaveLength(1);
    } finally {
      await directElbv2().send(
        new DeleteTargetGroupCommand({ TargetGroupArn: created.TargetGroups![0]!.TargetGroupArn! }),
      );
    }
  });
});
