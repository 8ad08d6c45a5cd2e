import { describe, expect, it } from '@jest/globals';
import {
  ECSClient,
  ServiceNotActiveException,
  ServiceNotFoundException,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { isConfigurationError } from '../action/errors.js';
import { redeployServices } from './redeploy-services.js';

const CREATED = new Date('2026-01-01T00:00:00Z');

function updated(name: string) {
  return {
    service: {
      serviceName: name,
      deployments: [
        { id: `ecs-svc/${name}-new`, status: 'PRIMARY', taskDefinition: `td/${name}:3`, createdAt: CREATED },
        { id: `ecs-svc/${name}-old`, status: 'ACTIVE' },
      ],
    },
  };
}

describe('redeployServices', () => {
  it('forces a new deployment of every service in parallel and returns each new PRIMARY deployment id', async () => {
    const client = new ECSClient({ region: 'us-east-1' });
    const ecs = mockClient(client);
    let inFlight = 0;
    let peak = 0;
    ecs.on(UpdateServiceCommand).callsFake(async (input: { service: string }) => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight--;
      return updated(input.service.split('/').pop() as string);
    });

    const result = await redeployServices(client, 'c1', ['web', 'arn:aws:ecs:us-east-1:1:service/c1/worker', 'cron']);

    expect(result).toEqual([
      { service: 'web', deploymentId: 'ecs-svc/web-new', taskDefinition: 'td/web:3', startedAt: CREATED },
      { service: 'worker', deploymentId: 'ecs-svc/worker-new', taskDefinition: 'td/worker:3', startedAt: CREATED },
      { service: 'cron', deploymentId: 'ecs-svc/cron-new', taskDefinition: 'td/cron:3', startedAt: CREATED },
    ]);
    expect(
      ecs
        .commandCalls(UpdateServiceCommand)
        .every((c) => c.args[0].input.forceNewDeployment === true && c.args[0].input.cluster === 'c1'),
    ).toBe(true);
    expect(peak).toBe(3);
  });

  it('attempts every service and names all that do not exist in a ConfigurationError', async () => {
    const client = new ECSClient({ region: 'us-east-1' });
    const ecs = mockClient(client);
    ecs.on(UpdateServiceCommand).callsFake(async (input: { service: string }) => {
      if (input.service === 'ghost')
        throw new ServiceNotFoundException({ message: 'Service not found.', $metadata: {} });
      if (input.service === 'old')
        throw new ServiceNotActiveException({ message: 'Service was not ACTIVE.', $metadata: {} });
      return updated(input.service);
    });

    const error = await redeployServices(client, 'c1', ['ghost', 'web', 'old']).catch((e: unknown) => e);

    expect(isConfigurationError(error)).toBe(true);
    expect((error as Error).message).toBe(
      'ECS service(s) ghost, old not found or not ACTIVE in cluster c1; fix the service mapping.',
    );
    expect(ecs.commandCalls(UpdateServiceCommand)).toHaveLength(3);
  });

  it('throws a plain error naming each failure when any is not a missing service', async () => {
    const client = new ECSClient({ region: 'us-east-1' });
    const ecs = mockClient(client);
    ecs.on(UpdateServiceCommand).callsFake(async (input: { service: string }) => {
      if (input.service === 'web') throw new Error('AccessDenied');
      if (input.service === 'ghost')
        throw new ServiceNotFoundException({ message: 'Service not found.', $metadata: {} });
      return { service: { deployments: [] } };
    });

    const error = (await redeployServices(client, 'c1', ['web', 'ghost', 'bare']).catch((e: unknown) => e)) as Error;

    expect(isConfigurationError(error)).toBe(false);
    expect(error.message).toBe(
      'Could not start a new deployment in cluster c1: web: AccessDenied; ghost: Service not found.; bare: UpdateService returned no PRIMARY deployment',
    );
  });
});
