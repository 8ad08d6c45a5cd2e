import { describe, expect, it } from '@jest/globals';
import { DescribeServicesCommand, DescribeTasksCommand, ECSClient, ListTasksCommand } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { collectDiagnostics } from './collect-diagnostics.js';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));

describe('collectDiagnostics', () => {
  it('describes a named service and keeps the newest events and stopped tasks since the given time', async () => {
    const client = new ECSClient({ region: 'us-east-1' });
    const ecs = mockClient(client);
    ecs.on(DescribeServicesCommand).resolves({
      services: [
        {
          serviceName: 'api',
          status: 'ACTIVE',
          events: [
            { createdAt: at(1), message: 'too old' },
            { createdAt: at(30), message: 'second' },
            { createdAt: at(40), message: 'newest' },
            { createdAt: at(20), message: 'third' },
          ],
        },
      ],
    });
    ecs.on(ListTasksCommand).resolves({ taskArns: ['t/old', 't/new'] });
    ecs.on(DescribeTasksCommand).resolves({
      tasks: [
        { taskArn: 't/old', stoppedAt: at(2), stoppedReason: 'before the deployment' },
        {
          taskArn: 't/new',
          stoppedAt: at(25),
          stopCode: 'TaskFailedToStart',
          stoppedReason: 'CannotPullContainerError',
          containers: [{ name: 'app', reason: 'pull access denied' }],
        },
      ],
    });

    const d = await collectDiagnostics(client, 'c1', 'api', { since: at(10), maxEvents: 2 });

    expect(d.events.map((e) => e.message)).toEqual(['newest', 'second']);
    expect(d.stoppedTasks).toEqual([
      {
        taskArn: 't/new',
        stoppedAt: at(25),
        stopCode: 'TaskFailedToStart',
        stoppedReason: 'CannotPullContainerError',
        taskDefinitionArn: undefined,
        containers: [{ name: 'app', exitCode: undefined, reason: 'pull access denied' }],
      },
    ]);
    expect(ecs.commandCalls(ListTasksCommand)[0]?.args[0].input).toMatchObject({
      serviceName: 'api',
      desiredStatus: 'STOPPED',
      maxResults: 10,
    });
    expect(d.error).toBeUndefined();
  });

  it('reuses the events of a service it is given without describing it again', async () => {
    const client = new ECSClient({ region: 'us-east-1' });
    const ecs = mockClient(client);
    ecs.on(ListTasksCommand).resolves({ taskArns: [] });

    const d = await collectDiagnostics(client, 'c1', {
      serviceName: 'api',
      events: [{ createdAt: at(1), message: 'steady state' }],
    });

    expect(d).toEqual({ service: 'api', events: [{ at: at(1), message: 'steady state' }], stoppedTasks: [] });
    expect(ecs.commandCalls(DescribeServicesCommand)).toHaveLength(0);
  });

  it('never throws: what it cannot read is noted in error', async () => {
    const client = new ECSClient({ region: 'us-east-1' });
    const ecs = mockClient(client);
    ecs.on(DescribeServicesCommand).rejects(new Error('throttled'));
    ecs.on(ListTasksCommand).rejects(new Error('denied'));

    const d = await collectDiagnostics(client, 'c1', 'api');

    expect(d).toEqual({
      service: 'api',
      events: [],
      stoppedTasks: [],
      error: 'DescribeServices: Error: throttled; stopped tasks: Error: denied',
    });
  });
});
