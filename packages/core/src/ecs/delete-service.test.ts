import { describe, expect, it } from '@jest/globals';
import {
  DeleteServiceCommand,
  DescribeServicesCommand,
  ECSClient,
  ServiceNotActiveException,
  ServiceNotFoundException,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { deleteServiceSafely, stopService } from './delete-service.js';

describe('deleteServiceSafely', () => {
  it('scales the service to 0 first, then deletes it without force', async () => {
    const client = new ECSClient({ region: 'us-east-1' });
    const ecs = mockClient(client);
    ecs.on(DescribeServicesCommand).resolves({ services: [{ serviceName: 'pr-7-api', status: 'ACTIVE' }] });
    const order: string[] = [];
    ecs.on(UpdateServiceCommand).callsFake(async () => (order.push('scale'), {}));
    ecs.on(DeleteServiceCommand).callsFake(async () => (order.push('delete'), {}));

    expect(await deleteServiceSafely(client, 'c1', 'pr-7-api')).toBe('deleted');

    expect(order).toEqual(['scale', 'delete']);
    expect(ecs.commandCalls(UpdateServiceCommand)[0]?.args[0].input).toEqual({
      cluster: 'c1',
      service: 'pr-7-api',
      desiredCount: 0,
    });
    expect(ecs.commandCalls(DeleteServiceCommand)[0]?.args[0].input).toEqual({
      cluster: 'c1',
      service: 'pr-7-api',
      force: false,
    });
  });

  it('counts a service that vanished after the describe as done', async () => {
    const client = new ECSClient({ region: 'us-east-1' });
    const ecs = mockClient(client);
    ecs.on(DescribeServicesCommand).resolves({ services: [{ serviceName: 'pr-7-api', status: 'ACTIVE' }] });
    ecs
      .on(UpdateServiceCommand)
      .rejects(new ServiceNotFoundException({ message: 'Service not found.', $metadata: {} }));

    expect(await deleteServiceSafely(client, 'c1', 'pr-7-api')).toBe('already-gone');
    expect(ecs.commandCalls(DeleteServiceCommand)).toHaveLength(0);
  });

  it.each(['INACTIVE', 'DRAINING'])(
    'counts a service that is already %s as done without touching it',
    async (status) => {
      const client = new ECSClient({ region: 'us-east-1' });
      const ecs = mockClient(client);
      ecs.on(DescribeServicesCommand).resolves({ services: [{ serviceName: 'pr-7-api', status }] });

      expect(await deleteServiceSafely(client, 'c1', 'pr-7-api')).toBe('already-gone');
      expect(ecs.commandCalls(UpdateServiceCommand)).toHaveLength(0);
      expect(ecs.commandCalls(DeleteServiceCommand)).toHaveLength(0);
    },
  );

  it('counts a MISSING service as done without touching it', async () => {
    const client = new ECSClient({ region: 'us-east-1' });
    const ecs = mockClient(client);
    ecs
      .on(DescribeServicesCommand)
      .resolves({ failures: [{ arn: 'arn:aws:ecs:us-east-1:1:service/c1/pr-7-api', reason: 'MISSING' }] });

    expect(await deleteServiceSafely(client, 'c1', 'pr-7-api')).toBe('already-gone');
    expect(ecs.commandCalls(UpdateServiceCommand)).toHaveLength(0);
  });

  it('counts a service that became INACTIVE between the two steps as done', async () => {
    const client = new ECSClient({ region: 'us-east-1' });
    const ecs = mockClient(client);
    ecs.on(DescribeServicesCommand).resolves({ services: [{ serviceName: 'pr-7-api', status: 'ACTIVE' }] });
    ecs.on(UpdateServiceCommand).resolves({});
    ecs
      .on(DeleteServiceCommand)
      .rejects(new ServiceNotActiveException({ message: 'Service was not ACTIVE.', $metadata: {} }));

    expect(await deleteServiceSafely(client, 'c1', 'pr-7-api')).toBe('already-gone');
  });

  it('passes any other error through', async () => {
    const client = new ECSClient({ region: 'us-east-1' });
    const ecs = mockClient(client);
    ecs.on(DescribeServicesCommand).resolves({ services: [{ serviceName: 'pr-7-api', status: 'ACTIVE' }] });
    ecs.on(UpdateServiceCommand).rejects(new Error('AccessDeniedException'));

    await expect(deleteServiceSafely(client, 'c1', 'pr-7-api')).rejects.toThrow('AccessDeniedException');
  });

  it('does not scale again a service that is already at 0 before deleting it', async () => {
    const client = new ECSClient({ region: 'us-east-1' });
    const ecs = mockClient(client);
    ecs
      .on(DescribeServicesCommand)
      .resolves({ services: [{ serviceName: 'pr-7-api', status: 'ACTIVE', desiredCount: 0 }] });
    ecs.on(DeleteServiceCommand).resolves({});

    expect(await deleteServiceSafely(client, 'c1', 'pr-7-api')).toBe('deleted');
    expect(ecs.commandCalls(UpdateServiceCommand)).toHaveLength(0);
    expect(ecs.commandCalls(DeleteServiceCommand)).toHaveLength(1);
  });
});

describe('stopService', () => {
  it.each([
    [2, 1],
    [0, 0],
  ])(
    'scales a service discovery saw at %i tasks to 0 with %i write(s), and never deletes it',
    async (desiredCount, writes) => {
      const client = new ECSClient({ region: 'us-east-1' });
      const ecs = mockClient(client);
      ecs.on(UpdateServiceCommand).resolves({});

      expect(await stopService(client, 'c1', { name: 'pr-7-api', desiredCount })).toBe('stopped');
      expect(ecs.commandCalls(UpdateServiceCommand).map((c) => c.args[0].input)).toEqual(
        writes ? [{ cluster: 'c1', service: 'pr-7-api', desiredCount: 0 }] : [],
      );
      expect(ecs.commandCalls(DeleteServiceCommand)).toHaveLength(0);
      expect(ecs.commandCalls(DescribeServicesCommand)).toHaveLength(0);
    },
  );

  it('counts a missing or INACTIVE service as gone', async () => {
    const client = new ECSClient({ region: 'us-east-1' });
    const ecs = mockClient(client);
    ecs
      .on(UpdateServiceCommand)
      .rejectsOnce(new ServiceNotActiveException({ message: 'Service was not ACTIVE.', $metadata: {} }))
      .rejectsOnce(new ServiceNotFoundException({ message: 'Service not found.', $metadata: {} }));
    expect(await stopService(client, 'c1', { name: 'pr-7-api', desiredCount: 1 })).toBe('already-gone');
    expect(await stopService(client, 'c1', { name: 'pr-7-api', desiredCount: 1 })).toBe('already-gone');
  });
});
