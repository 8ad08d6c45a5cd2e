import { describe, expect, it } from '@jest/globals';
import {
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  type Deployment,
  type Service,
  type Task,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { ManualClock, type Clock } from '../action/clock.js';
import { createRecordingLogger } from '../testing/index.js';
import { waitForServices, type WaitForServicesOptions } from './wait-for-services.js';

const GOOD = 'sha256:' + 'a'.repeat(64);
const BAD = 'sha256:' + 'b'.repeat(64);
const START = new Date('2026-01-01T00:00:00Z');

function deployment(over: Partial<Deployment> = {}): Deployment {
  return {
    id: 'ecs-svc/new',
    status: 'PRIMARY',
    desiredCount: 1,
    runningCount: 1,
    rolloutState: 'COMPLETED',
    createdAt: START,
    ...over,
  };
}

function service(name: string, deployments: Deployment[], over: Partial<Service> = {}): Service {
  return {
    serviceName: name,
    serviceArn: `arn:aws:ecs:us-east-1:1:service/c1/${name}`,
    status: 'ACTIVE',
    desiredCount: 1,
    runningCount: 1,
    deployments,
    ...over,
  };
}

/** The waiter on cluster c1 with a manual clock at START, unless told otherwise. */
function waitOn(client: ECSClient, options: Partial<WaitForServicesOptions> & Pick<WaitForServicesOptions, 'targets'>) {
  return waitForServices(client, { cluster: 'c1', clock: new ManualClock(START), ...options });
}

/** An ECS whose DescribeServices answers each service from its own script; the last answer repeats. */
function scriptedEcs(script: Record<string, Service[]>, tasks: { running?: Task[]; stopped?: Task[] } = {}) {
  const client = new ECSClient({ region: 'us-east-1' });
  const ecs = mockClient(client);
  const looks: Record<string, number> = {};
  ecs.on(DescribeServicesCommand).callsFake(async (input: { services: string[] }) => ({
    services: input.services.map((name) => {
      const answers = script[name] as Service[];
      const i = Math.min(looks[name] ?? 0, answers.length - 1);
      looks[name] = (looks[name] ?? 0) + 1;
      return answers[i];
    }),
  }));
  ecs.on(ListTasksCommand).callsFake(async (input: { desiredStatus: string }) => ({
    taskArns:
      (input.desiredStatus === 'RUNNING' ? tasks.running : tasks.stopped)?.map((t) => t.taskArn as string) ?? [],
  }));
  ecs.on(DescribeTasksCommand).callsFake(async (input: { tasks: string[] }) => ({
    tasks: [...(tasks.running ?? []), ...(tasks.stopped ?? [])].filter((t) =>
      input.tasks.includes(t.taskArn as string),
    ),
  }));
  return { client, ecs };
}

describe('waitForServices', () => {
  it('polls with backoff until our deployment is COMPLETED, then reports it stable', async () => {
    const inProgress = service('api', [deployment({ rolloutState: 'IN_PROGRESS', runningCount: 0 })]);
    const { client, ecs } = scriptedEcs({ api: [inProgress, inProgress, service('api', [deployment()])] });
    const clock = new ManualClock(START);

    const [outcome] = await waitForServices(client, {
      cluster: 'c1',
      clock,
      targets: [{ service: 'api', deploymentId: 'ecs-svc/new' }],
      pollIntervalMs: 10_000,
      backoffFactor: 1.5,
    });

    expect(outcome).toMatchObject({ service: 'api', state: 'stable', deploymentId: 'ecs-svc/new', elapsedMs: 25_000 });
    expect(outcome?.diagnostics).toBeUndefined();
    expect(ecs.commandCalls(DescribeServicesCommand)).toHaveLength(3);
    expect(clock.now().getTime() - START.getTime()).toBe(25_000);
  });

  it('fails on a circuit-breaker FAILED rollout and gathers events and stopped-task reasons into the log', async () => {
    const failed = service(
      'api',
      [
        deployment({
          rolloutState: 'FAILED',
          rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.',
        }),
      ],
      {
        events: [
          { createdAt: new Date(START.getTime() + 5_000), message: '(service api) has started 1 tasks: (task abc).' },
        ],
      },
    );
    const stopped: Task = {
      taskArn: 'arn:aws:ecs:us-east-1:1:task/c1/abc',
      stoppedAt: new Date(START.getTime() + 6_000),
      stopCode: 'EssentialContainerExited',
      stoppedReason: 'Essential container in task exited',
      containers: [{ name: 'app', exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage' }],
    };
    const { client, ecs } = scriptedEcs({ api: [failed] }, { stopped: [stopped] });
    const logger = createRecordingLogger();

    const [outcome] = await waitOn(client, {
      logger,
      targets: [{ service: 'api', deploymentId: 'ecs-svc/new' }],
    });

    expect(outcome).toMatchObject({ state: 'failed', reason: expect.stringContaining('tasks failed to start') });
    expect(outcome?.diagnostics?.events[0]?.message).toContain('has started 1 tasks');
    expect(outcome?.diagnostics?.stoppedTasks[0]).toMatchObject({
      stoppedReason: 'Essential container in task exited',
      containers: [{ name: 'app', exitCode: 137 }],
    });
    expect(ecs.commandCalls(ListTasksCommand)[0]?.args[0].input).toMatchObject({
      cluster: 'c1',
      serviceName: 'api',
      desiredStatus: 'STOPPED',
    });
    expect(logger.lines).toContain(
      'error api: failed: deployment circuit breaker: ECS deployment circuit breaker: tasks failed to start.',
    );
    expect(
      logger.lines.some(
        (l) =>
          l.includes('[api] stopped task') &&
          l.includes('abc: Essential container') &&
          l.includes('app exit 137: OutOfMemoryError'),
      ),
    ).toBe(true);
  });

  it('times out at the deadline with the last progress and diagnostics, never sleeping past it', async () => {
    const stuck = service('api', [deployment({ rolloutState: 'IN_PROGRESS', runningCount: 0, pendingCount: 1 })], {
      events: [
        {
          createdAt: START,
          message: 'unable to place a task because no container instance met all of its requirements',
        },
      ],
    });
    const { client, ecs } = scriptedEcs({ api: [stuck] });
    const clock = new ManualClock(START);

    const [outcome] = await waitForServices(client, {
      cluster: 'c1',
      clock,
      targets: [{ service: 'api' }],
      timeoutMs: 60_000,
      pollIntervalMs: 10_000,
      maxPollIntervalMs: 15_000,
    });

    expect(outcome?.state).toBe('timeout');
    expect(outcome?.reason).toBe(
      'not stable after 60 s: deployment ecs-svc/new IN_PROGRESS: running 0/1, pending 1, failed tasks 0',
    );
    expect(outcome?.diagnostics?.events[0]?.message).toContain('unable to place a task');
    expect(clock.now().getTime() - START.getTime()).toBe(60_000);
    // Looks at 0, 10, 25, 40, 55 and 60 s: the pause grows to 15 s and is cut at the deadline.
    expect(ecs.commandCalls(DescribeServicesCommand)).toHaveLength(6);
  });

  it('never treats a desired count of 0 as stable', async () => {
    const zero = service('api', [deployment({ desiredCount: 0, runningCount: 0 })], {
      desiredCount: 0,
      runningCount: 0,
    });
    const { client } = scriptedEcs({ api: [zero] });

    const [outcome] = await waitOn(client, {
      targets: [{ service: 'api' }],
      diagnostics: false,
    });

    expect(outcome).toMatchObject({
      state: 'failed',
      reason: 'desired count is 0, so the service can never become stable',
    });
  });

  it('fails when the running tasks run another digest than the one promoted', async () => {
    const running: Task = {
      taskArn: 'arn:aws:ecs:us-east-1:1:task/c1/t1',
      lastStatus: 'RUNNING',
      containers: [{ name: 'app', imageDigest: BAD }],
    };
    const { client, ecs } = scriptedEcs({ api: [service('api', [deployment()])] }, { running: [running] });

    const [outcome] = await waitOn(client, {
      targets: [{ service: 'api', deploymentId: 'ecs-svc/new', expectedDigest: GOOD }],
    });

    expect(outcome).toMatchObject({ state: 'failed', runningDigests: [BAD] });
    expect(outcome?.reason).toBe(`image digest mismatch: task(s) t1 run ${BAD}, not ${GOOD}`);
    expect(ecs.commandCalls(ListTasksCommand)[0]?.args[0].input).toMatchObject({
      serviceName: 'api',
      desiredStatus: 'RUNNING',
    });
  });

  it('waits for digests to be reported, then is stable when they match', async () => {
    const client = new ECSClient({ region: 'us-east-1' });
    const ecs = mockClient(client);
    ecs.on(DescribeServicesCommand).resolves({ services: [service('api', [deployment()])] });
    ecs.on(ListTasksCommand).resolves({ taskArns: ['arn:aws:ecs:us-east-1:1:task/c1/t1'] });
    ecs
      .on(DescribeTasksCommand)
      .resolvesOnce({
        tasks: [
          { taskArn: 'arn:aws:ecs:us-east-1:1:task/c1/t1', lastStatus: 'RUNNING', containers: [{ name: 'app' }] },
        ],
      })
      .resolves({
        tasks: [
          {
            taskArn: 'arn:aws:ecs:us-east-1:1:task/c1/t1',
            lastStatus: 'RUNNING',
            containers: [{ name: 'app', imageDigest: GOOD }],
          },
        ],
      });

    const [outcome] = await waitOn(client, {
      targets: [{ service: 'api', expectedDigest: GOOD, containerName: 'app' }],
    });

    expect(outcome).toMatchObject({ state: 'stable', runningDigests: [GOOD], elapsedMs: 10_000 });
    expect(outcome?.reason).toContain(`all 1 running task(s) run ${GOOD}`);
  });

  it('fails when ECS rolled back to an older deployment', async () => {
    const rolledBack = service('api', [
      deployment({
        id: 'ecs-svc/rollback',
        taskDefinition: 'arn:aws:ecs:us-east-1:1:task-definition/api:3',
        rolloutState: 'IN_PROGRESS',
      }),
      deployment({
        status: 'ACTIVE',
        taskDefinition: 'arn:aws:ecs:us-east-1:1:task-definition/api:4',
        rolloutState: 'FAILED',
      }),
    ]);
    const { client } = scriptedEcs({ api: [rolledBack] });

    const [outcome] = await waitOn(client, {
      targets: [{ service: 'api', deploymentId: 'ecs-svc/new' }],
    });

    expect(outcome?.state).toBe('failed');
    expect(outcome?.reason).toContain('circuit breaker');
  });

  it('pins the deployment it first saw when given no id, so a rollback to another deployment is a failure', async () => {
    const td = (revision: number) => `arn:aws:ecs:us-east-1:1:task-definition/api:${revision}`;
    const { client } = scriptedEcs({
      api: [
        service('api', [deployment({ id: 'ecs-svc/ours', taskDefinition: td(5), rolloutState: 'IN_PROGRESS' })]),
        service('api', [
          deployment({ id: 'ecs-svc/rollback', taskDefinition: td(4) }),
          deployment({ id: 'ecs-svc/ours', status: 'ACTIVE', taskDefinition: td(5), rolloutState: 'IN_PROGRESS' }),
        ]),
      ],
    });

    const [outcome] = await waitOn(client, {
      targets: [{ service: 'api' }],
      diagnostics: false,
    });

    expect(outcome).toMatchObject({ state: 'failed', deploymentId: 'ecs-svc/ours' });
    expect(outcome?.reason).toContain('ECS rolled back to an older task definition');
  });

  it('treats a service or deployment missing from the answer as a stale read during the grace period', async () => {
    const client = new ECSClient({ region: 'us-east-1' });
    const ecs = mockClient(client);
    ecs
      .on(DescribeServicesCommand)
      .resolvesOnce({ failures: [{ arn: 'arn:aws:ecs:us-east-1:1:service/c1/api', reason: 'MISSING' }] })
      .resolvesOnce({ services: [service('api', [deployment({ id: 'ecs-svc/previous' })])] })
      .resolves({ services: [service('api', [deployment()])] });
    const logger = createRecordingLogger();

    const [outcome] = await waitOn(client, {
      logger,
      targets: [{ service: 'api', deploymentId: 'ecs-svc/new' }],
      consistencyGraceMs: 30_000,
    });

    expect(outcome).toMatchObject({ state: 'stable', deploymentId: 'ecs-svc/new', elapsedMs: 25_000 });
    expect(logger.lines).toContain('info api: not visible yet (service is MISSING)');
  });

  it('fails a service that is still missing once the grace period is over', async () => {
    const client = new ECSClient({ region: 'us-east-1' });
    const ecs = mockClient(client);
    ecs
      .on(DescribeServicesCommand)
      .resolves({ failures: [{ arn: 'arn:aws:ecs:us-east-1:1:service/c1/api', reason: 'MISSING' }] });
    ecs.on(ListTasksCommand).resolves({ taskArns: [] });

    const [outcome] = await waitOn(client, {
      targets: [{ service: 'api' }],
      consistencyGraceMs: 20_000,
    });

    expect(outcome).toMatchObject({ state: 'failed', reason: 'service is MISSING', elapsedMs: 25_000 });
  });

  it('looks at all services in one call per round, keeps target order, and diagnoses only the unhappy ones', async () => {
    const { client, ecs } = scriptedEcs({
      web: [service('web', [deployment({ rolloutState: 'IN_PROGRESS' })]), service('web', [deployment()])],
      worker: [service('worker', [deployment({ rolloutState: 'FAILED' })])],
    });

    const outcomes = await waitOn(client, {
      targets: [{ service: 'worker' }, { service: 'web' }],
    });

    expect(outcomes.map((o) => [o.service, o.state])).toEqual([
      ['worker', 'failed'],
      ['web', 'stable'],
    ]);
    expect(ecs.commandCalls(DescribeServicesCommand).map((c) => c.args[0].input.services)).toEqual([
      ['worker', 'web'],
      ['web'],
    ]);
    expect(outcomes[0]?.diagnostics).toBeDefined();
    expect(outcomes[1]?.diagnostics).toBeUndefined();
    expect(ecs.commandCalls(ListTasksCommand).map((c) => c.args[0].input.serviceName)).toEqual(['worker']);
  });

  it('rides out a failed look, but throws after the allowed number in a row', async () => {
    const client = new ECSClient({ region: 'us-east-1' });
    const ecs = mockClient(client);
    ecs
      .on(DescribeServicesCommand)
      .rejectsOnce(new Error('Rate exceeded'))
      .resolves({ services: [service('api', [deployment()])] });
    const logger = createRecordingLogger();

    const [outcome] = await waitOn(client, {
      logger,
      targets: [{ service: 'api' }],
    });

    expect(outcome?.state).toBe('stable');
    expect(logger.lines).toContain('warning Could not read ECS services (attempt 1 of 3): Rate exceeded');

    ecs.reset();
    ecs.on(DescribeServicesCommand).rejects(new Error('Rate exceeded'));
    await expect(
      waitForServices(client, {
        cluster: 'c1',
        clock: new ManualClock(START),
        targets: [{ service: 'api' }],
        maxConsecutiveErrors: 3,
      }),
    ).rejects.toThrow('Rate exceeded');
    expect(ecs.commandCalls(DescribeServicesCommand)).toHaveLength(3);
  });

  it('stops after a bounded number of looks even if the clock never moves', async () => {
    const frozen: Clock = { now: () => START, sleep: async () => undefined };
    const { client, ecs } = scriptedEcs({ api: [service('api', [deployment({ rolloutState: 'IN_PROGRESS' })])] });

    const [outcome] = await waitForServices(client, {
      cluster: 'c1',
      clock: frozen,
      targets: [{ service: 'api' }],
      timeoutMs: 50_000,
      pollIntervalMs: 10_000,
      diagnostics: false,
    });

    expect(outcome?.state).toBe('timeout');
    expect(ecs.commandCalls(DescribeServicesCommand)).toHaveLength(7);
  });
});
