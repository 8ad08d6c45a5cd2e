import { describe, expect, it } from '@jest/globals';
import {
  CreateServiceCommand,
  DescribeServicesCommand,
  ECSClient,
  InvalidParameterException,
  TagResourceCommand,
  UpdateServiceCommand,
  type Service,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { ManualClock } from '../action/clock.js';
import { createServiceClientToken } from './client-token.js';
import { upsertService, type ServiceSpec } from './upsert-service.js';

const ARN = 'arn:aws:ecs:us-east-1:1:service/c1/pr-7-api';
const spec: ServiceSpec = {
  cluster: 'c1',
  serviceName: 'pr-7-api',
  taskDefinition: 'arn:aws:ecs:us-east-1:1:task-definition/pr-7-api:3',
  desiredCount: 1,
  tags: { 'preview-actions:managed': 'true', 'preview-actions:pr': '7' },
  placementConstraints: [{ type: 'memberOf', expression: 'attribute:env == preview' }],
  placementStrategy: [{ type: 'binpack', field: 'memory' }],
  minimumHealthyPercent: 0,
  maximumPercent: 100,
};

function existing(status: string): Service {
  return { serviceName: 'pr-7-api', serviceArn: ARN, status, deployments: [{ id: 'ecs-svc/old', status: 'PRIMARY' }] };
}

const ecsTags = [
  { key: 'preview-actions:managed', value: 'true' },
  { key: 'preview-actions:pr', value: '7' },
];

const afterWrite = {
  service: {
    serviceName: 'pr-7-api',
    serviceArn: ARN,
    status: 'ACTIVE',
    deployments: [{ id: 'ecs-svc/fresh', status: 'PRIMARY' }],
  },
};

function setup(...looks: { services?: Service[]; failures?: { arn: string; reason: string }[] }[]) {
  const client = new ECSClient({ region: 'us-east-1' });
  const ecs = mockClient(client);
  let chain = ecs.on(DescribeServicesCommand);
  for (const look of looks.slice(0, -1)) chain = chain.resolvesOnce(look);
  chain.resolves(looks[looks.length - 1] ?? {});
  ecs.on(CreateServiceCommand).resolves(afterWrite);
  ecs.on(UpdateServiceCommand).resolves(afterWrite);
  ecs.on(TagResourceCommand).resolves({});
  return { client, ecs };
}

const missing = { failures: [{ arn: ARN, reason: 'MISSING' }] };

describe('upsertService', () => {
  it('updates an ACTIVE service with a forced deployment and the circuit breaker, then refreshes its tags', async () => {
    const { client, ecs } = setup({ services: [existing('ACTIVE')] });

    const result = await upsertService(client, spec, { clock: new ManualClock() });

    expect(result).toMatchObject({ action: 'updated', deploymentId: 'ecs-svc/fresh' });
    expect(ecs.commandCalls(CreateServiceCommand)).toHaveLength(0);
    expect(ecs.commandCalls(UpdateServiceCommand)[0]?.args[0].input).toMatchObject({
      cluster: 'c1',
      service: 'pr-7-api',
      taskDefinition: spec.taskDefinition,
      desiredCount: 1,
      forceNewDeployment: true,
      placementConstraints: spec.placementConstraints,
      deploymentConfiguration: {
        deploymentCircuitBreaker: { enable: true, rollback: true },
        minimumHealthyPercent: 0,
        maximumPercent: 100,
      },
    });
    expect(ecs.commandCalls(TagResourceCommand)[0]?.args[0].input).toEqual({
      resourceArn: ARN,
      tags: ecsTags,
    });
  });

  it.each([
    ['MISSING', missing],
    ['INACTIVE', { services: [existing('INACTIVE')] }],
  ])(
    'creates a %s service with a deterministic clientToken, circuit breaker, placement and tags',
    async (_status, look) => {
      const { client, ecs } = setup(look);

      const result = await upsertService(client, spec, { clock: new ManualClock() });

      expect(result).toMatchObject({ action: 'created', deploymentId: 'ecs-svc/fresh' });
      expect(ecs.commandCalls(UpdateServiceCommand)).toHaveLength(0);
      expect(ecs.commandCalls(CreateServiceCommand)[0]?.args[0].input).toMatchObject({
        cluster: 'c1',
        serviceName: 'pr-7-api',
        taskDefinition: spec.taskDefinition,
        desiredCount: 1,
        clientToken: createServiceClientToken('c1', 'pr-7-api', spec.taskDefinition),
        placementConstraints: spec.placementConstraints,
        placementStrategy: spec.placementStrategy,
        deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
        propagateTags: 'SERVICE',
        tags: ecsTags,
      });
    },
  );

  it('waits out a DRAINING service of the same name, then creates it', async () => {
    const { client, ecs } = setup(
      { services: [existing('DRAINING')] },
      { services: [existing('DRAINING')] },
      { services: [existing('INACTIVE')] },
    );
    const clock = new ManualClock('2026-01-01T00:00:00Z');

    const result = await upsertService(client, spec, { clock, drainingPollMs: 15_000 });

    expect(result.action).toBe('created');
    expect(ecs.commandCalls(DescribeServicesCommand)).toHaveLength(3);
    expect(clock.now().toISOString()).toBe('2026-01-01T00:00:30.000Z');
  });

  it('gives up on a service that stays DRAINING past the bound, creating nothing', async () => {
    const { client, ecs } = setup({ services: [existing('DRAINING')] });
    const clock = new ManualClock('2026-01-01T00:00:00Z');

    await expect(
      upsertService(client, spec, { clock, drainingTimeoutMs: 60_000, drainingPollMs: 20_000 }),
    ).rejects.toThrow(
      'ECS service pr-7-api in cluster c1 is still DRAINING after 60 s; run the deployment again once it is gone',
    );
    expect(clock.now().toISOString()).toBe('2026-01-01T00:01:00.000Z');
    expect(ecs.commandCalls(DescribeServicesCommand)).toHaveLength(4);
    expect(ecs.commandCalls(CreateServiceCommand)).toHaveLength(0);
  });

  it('updates instead when another run created the service between describe and create', async () => {
    const { client, ecs } = setup(missing, { services: [existing('ACTIVE')] });
    ecs
      .on(CreateServiceCommand)
      .rejects(new InvalidParameterException({ message: 'Creation of service was not idempotent.', $metadata: {} }));

    const result = await upsertService(client, spec, { clock: new ManualClock() });

    expect(result.action).toBe('updated');
    expect(ecs.commandCalls(UpdateServiceCommand)).toHaveLength(1);
  });

  it('passes other create errors through', async () => {
    const { client, ecs } = setup(missing);
    ecs
      .on(CreateServiceCommand)
      .rejects(new InvalidParameterException({ message: 'Unable to place tasks', $metadata: {} }));

    await expect(upsertService(client, spec, { clock: new ManualClock() })).rejects.toThrow('Unable to place tasks');
    expect(ecs.commandCalls(UpdateServiceCommand)).toHaveLength(0);
  });
});
