import { describe, expect, it } from '@jest/globals';
import { DescribeTasksCommand, ECSClient, ListTasksCommand } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { readRunningDigests } from './read-running-digests.js';

const arn = (service: string, i: number) => `arn:aws:ecs:us-east-1:1:task/c1/${service}-${i}`;

describe('readRunningDigests', () => {
  it('pages through ListTasks (RUNNING, per service) and describes at most 100 tasks per call', async () => {
    const client = new ECSClient({ region: 'us-east-1' });
    const ecs = mockClient(client);
    ecs.on(ListTasksCommand).callsFake(async (input: { serviceName: string; nextToken?: string }) => {
      if (input.serviceName === 'web') {
        const first = input.nextToken === undefined;
        const range = first ? [0, 100] : [100, 150];
        return {
          taskArns: Array.from({ length: (range[1] as number) - (range[0] as number) }, (_, i) =>
            arn('web', (range[0] as number) + i),
          ),
          nextToken: first ? 'page-2' : undefined,
        };
      }
      return { taskArns: [arn('worker', 0)] };
    });
    ecs.on(DescribeTasksCommand).callsFake(async (input: { tasks: string[] }) => ({
      tasks: input.tasks.map((taskArn) => ({
        taskArn,
        lastStatus: 'RUNNING',
        startedBy: 'ecs-svc/1',
        taskDefinitionArn: 'td:1',
        containers: [{ name: 'app', image: 'repo:pr-1', imageDigest: 'sha256:abc' }],
      })),
    }));

    const result = await readRunningDigests(client, 'c1', ['web', 'worker']);

    expect(result.map((r) => [r.service, r.tasks.length])).toEqual([
      ['web', 150],
      ['worker', 1],
    ]);
    expect(result[1]?.tasks[0]).toEqual({
      taskArn: arn('worker', 0),
      lastStatus: 'RUNNING',
      startedBy: 'ecs-svc/1',
      taskDefinitionArn: 'td:1',
      containers: [{ name: 'app', image: 'repo:pr-1', imageDigest: 'sha256:abc' }],
    });
    const lists = ecs.commandCalls(ListTasksCommand).map((c) => c.args[0].input);
    expect(lists.every((l) => l.desiredStatus === 'RUNNING' && l.cluster === 'c1')).toBe(true);
    const describes = ecs.commandCalls(DescribeTasksCommand).map((c) => c.args[0].input.tasks?.length);
    expect(describes.sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual([1, 50, 100]);
  });

  it('makes no DescribeTasks call for a service without tasks', async () => {
    const client = new ECSClient({ region: 'us-east-1' });
    const ecs = mockClient(client);
    ecs.on(ListTasksCommand).resolves({ taskArns: [] });

    expect(await readRunningDigests(client, 'c1', ['idle'])).toEqual([{ service: 'idle', tasks: [] }]);
    expect(ecs.commandCalls(DescribeTasksCommand)).toHaveLength(0);
  });

  it('stops listing at the per-service cap', async () => {
    const client = new ECSClient({ region: 'us-east-1' });
    const ecs = mockClient(client);
    ecs.on(ListTasksCommand).callsFake(async (input: { maxResults: number }) => ({
      taskArns: Array.from({ length: input.maxResults }, (_, i) => arn('big', i)),
      nextToken: 'more',
    }));
    ecs
      .on(DescribeTasksCommand)
      .callsFake(async (input: { tasks: string[] }) => ({ tasks: input.tasks.map((taskArn) => ({ taskArn })) }));

    const [result] = await readRunningDigests(client, 'c1', ['big'], { maxTasksPerService: 120 });

    expect(result?.tasks).toHaveLength(120);
    expect(ecs.commandCalls(ListTasksCommand).map((c) => c.args[0].input.maxResults)).toEqual([100, 20]);
  });
});
