import { describe, expect, it } from '@jest/globals';
import {
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
  ListTasksCommand,
  type ServiceDeployment,
  type ServiceRevision,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { ManualClock } from '../action/clock.js';
import { createRecordingLogger } from '../testing/index.js';
import { waitForServices } from './wait-for-services.js';

const INDEX = 'sha256:' + 'a'.repeat(64);
const AMD64 = 'sha256:' + 'c'.repeat(64);
const OTHER = 'sha256:' + 'b'.repeat(64);
const START = new Date('2026-01-01T00:00:00Z');
const TD = 'arn:aws:ecs:us-east-1:1:task-definition/api:7';
const OURS = 'arn:aws:ecs:us-east-1:1:service-deployment/c1/api/ours';
const REVISION = 'arn:aws:ecs:us-east-1:1:service-revision/c1/api/2';

function record(status: ServiceDeployment['status'], over: Partial<ServiceDeployment> = {}): ServiceDeployment {
  return {
    serviceDeploymentArn: OURS,
    createdAt: START,
    status,
    targetServiceRevision: { arn: REVISION, requestedTaskCount: 2, runningTaskCount: 1, pendingTaskCount: 1 },
    ...over,
  };
}

/** An ECS that keeps deployment records: ours (scripted) and an older one of the same task definition. */
function recordingEcs(script: ServiceDeployment[], revision: Partial<ServiceRevision> = {}) {
  const client = new ECSClient({ region: 'us-east-1' });
  const ecs = mockClient(client);
  ecs.on(ListServiceDeploymentsCommand).resolves({
    serviceDeployments: [
      { serviceDeploymentArn: 'older', createdAt: new Date(START.getTime() - 4_000), targetServiceRevisionArn: 'r1' },
      { serviceDeploymentArn: OURS, createdAt: START, targetServiceRevisionArn: REVISION },
    ],
  });
  ecs.on(DescribeServiceRevisionsCommand).resolves({
    serviceRevisions: [
      { serviceRevisionArn: 'r1', taskDefinition: TD, containerImages: [{ containerName: 'app', imageDigest: OTHER }] },
      {
        serviceRevisionArn: REVISION,
        taskDefinition: TD,
        containerImages: [{ containerName: 'app', imageDigest: INDEX }],
        ...revision,
      },
    ],
  });
  let look = 0;
  ecs.on(DescribeServiceDeploymentsCommand).callsFake(async () => ({
    serviceDeployments: [script[Math.min(look++, script.length - 1)]],
  }));
  ecs.on(ListTasksCommand).resolves({ taskArns: [] });
  ecs.on(DescribeServicesCommand).resolves({ services: [] });
  return { client, ecs };
}

/** DescribeServices of a service whose only deployment runs what it should (the fall-back's stable). */
const SETTLED_PRIMARY = {
  services: [
    {
      serviceName: 'api',
      status: 'ACTIVE',
      desiredCount: 1,
      runningCount: 1,
      deployments: [{ id: 'ecs-svc/new', status: 'PRIMARY', desiredCount: 1, runningCount: 1 }],
    },
  ],
};

const target = { service: 'api', startedAt: START, taskDefinition: TD, expectedDigest: INDEX };

describe('waitForServices by service deployment records', () => {
  it('follows the record our update started (the one created closest to it) until SUCCESSFUL, and checks the revision digest', async () => {
    const { client, ecs } = recordingEcs([record('PENDING'), record('IN_PROGRESS'), record('SUCCESSFUL')]);

    const [outcome] = await waitForServices(client, {
      cluster: 'c1',
      clock: new ManualClock(START),
      targets: [target],
    });

    expect(outcome).toMatchObject({
      state: 'stable',
      judgedBy: 'service-deployment',
      serviceDeploymentArn: OURS,
      deploymentStatus: 'SUCCESSFUL',
      runningDigests: [INDEX],
    });
    expect(outcome?.reason).toContain(`records ${INDEX}`);
    expect(ecs.commandCalls(DescribeServiceDeploymentsCommand)).toHaveLength(3);
    expect(ecs.commandCalls(DescribeServicesCommand)).toHaveLength(0);
    expect(ecs.commandCalls(ListServiceDeploymentsCommand)[0]?.args[0].input.createdAt?.after).toEqual(
      new Date(START.getTime() - 5_000),
    );
  });

  it('accepts a platform digest of the promoted index, and says so', async () => {
    const { client } = recordingEcs([record('SUCCESSFUL')], {
      containerImages: [{ containerName: 'app', imageDigest: AMD64 }],
    });
    const [outcome] = await waitForServices(client, {
      cluster: 'c1',
      clock: new ManualClock(START),
      targets: [{ ...target, alsoAcceptDigests: [AMD64] }],
    });
    expect(outcome).toMatchObject({ state: 'stable' });
    expect(outcome?.reason).toContain(`${AMD64} (a platform image of ${INDEX})`);
  });

  it('fails on a revision that records another digest', async () => {
    const { client } = recordingEcs([record('SUCCESSFUL')], {
      containerImages: [{ containerName: 'app', imageDigest: OTHER }],
    });
    const [outcome] = await waitForServices(client, {
      cluster: 'c1',
      clock: new ManualClock(START),
      targets: [target],
    });
    expect(outcome).toMatchObject({ state: 'failed', reason: expect.stringContaining(`records ${OTHER}`) });
  });

  it('warns and decides by the status when the revision records no digest, instead of waiting for one', async () => {
    const { client } = recordingEcs([record('SUCCESSFUL')], { containerImages: [{ containerName: 'app' }] });
    const logger = createRecordingLogger();
    const [outcome] = await waitForServices(client, {
      cluster: 'c1',
      clock: new ManualClock(START),
      logger,
      targets: [target],
    });
    expect(outcome).toMatchObject({ state: 'stable', warnings: [expect.stringContaining('records no image digest')] });
    expect(outcome?.elapsedMs).toBe(0);
    expect(logger.lines.some((l) => l.startsWith('warning api: the service revision records no image digest'))).toBe(
      true,
    );
  });

  it('fails at once on a circuit-breaker rollback, with the rollback reason, and keeps the record in the diagnostics', async () => {
    const rolling = record('ROLLBACK_IN_PROGRESS', {
      statusReason: 'ECS deployment circuit breaker: tasks failed to start.',
      rollback: { reason: 'Circuit breaker initiated rollback', serviceRevisionArn: 'r1' },
    });
    const { client } = recordingEcs([rolling]);
    const [outcome] = await waitForServices(client, {
      cluster: 'c1',
      clock: new ManualClock(START),
      targets: [target],
    });
    expect(outcome).toMatchObject({
      state: 'failed',
      deploymentStatus: 'ROLLBACK_IN_PROGRESS',
      reason:
        'service deployment ROLLBACK_IN_PROGRESS (ECS deployment circuit breaker: tasks failed to start.; Circuit breaker initiated rollback)',
    });
    expect(outcome?.diagnostics?.deployment).toMatchObject({
      arn: OURS,
      status: 'ROLLBACK_IN_PROGRESS',
      rollbackReason: 'Circuit breaker initiated rollback',
    });
  });

  it('with the goal rollback, waits for ROLLBACK_SUCCESSFUL on a known record', async () => {
    const { client, ecs } = recordingEcs([record('ROLLBACK_REQUESTED'), record('ROLLBACK_SUCCESSFUL')]);
    const [outcome] = await waitForServices(client, {
      cluster: 'c1',
      clock: new ManualClock(START),
      targets: [{ service: 'api', serviceDeploymentArn: OURS, goal: 'rollback' }],
    });
    expect(outcome).toMatchObject({ state: 'stable', reason: 'rolled back' });
    expect(ecs.commandCalls(ListServiceDeploymentsCommand)).toHaveLength(0);
  });

  it('falls back to the PRIMARY deployment where the endpoint has no deployment API, and says so in debug', async () => {
    const client = new ECSClient({ region: 'us-east-1' });
    const ecs = mockClient(client);
    const absent = Object.assign(new Error('Unknown operation'), {
      name: 'UnknownOperationException',
      $metadata: { httpStatusCode: 400 },
    });
    ecs.on(ListServiceDeploymentsCommand).rejects(absent);
    ecs.on(DescribeServicesCommand).resolves(SETTLED_PRIMARY);
    const logger = createRecordingLogger();
    const [outcome] = await waitForServices(client, {
      cluster: 'c1',
      clock: new ManualClock(START),
      logger,
      targets: [{ service: 'api', startedAt: START, deploymentId: 'ecs-svc/new' }],
    });
    expect(outcome).toMatchObject({ state: 'stable', judgedBy: 'primary-deployment' });
    expect(logger.lines).toContainEqual(
      expect.stringMatching(
        /^debug api: this ECS endpoint has no service deployment API .*PRIMARY deployment instead$/,
      ),
    );

    // The same client is remembered: the next wait does not ask again.
    await waitForServices(client, {
      cluster: 'c1',
      clock: new ManualClock(START),
      targets: [{ service: 'api', startedAt: START, deploymentId: 'ecs-svc/new' }],
    });
    expect(ecs.commandCalls(ListServiceDeploymentsCommand)).toHaveLength(1);
  });

  it('treats a throttled ListServiceDeployments as a failed look, not as an absent API', async () => {
    const { client, ecs } = recordingEcs([record('SUCCESSFUL')]);
    const throttled = Object.assign(new Error('Rate exceeded'), {
      name: 'ThrottlingException',
      $metadata: { httpStatusCode: 400 },
    });
    ecs
      .on(ListServiceDeploymentsCommand)
      .rejectsOnce(throttled)
      .resolves({
        serviceDeployments: [{ serviceDeploymentArn: OURS, createdAt: START, targetServiceRevisionArn: REVISION }],
      });
    const logger = createRecordingLogger();
    const [outcome] = await waitForServices(client, {
      cluster: 'c1',
      clock: new ManualClock(START),
      logger,
      targets: [target],
    });
    expect(outcome).toMatchObject({ state: 'stable', judgedBy: 'service-deployment' });
    expect(logger.lines).toContainEqual(expect.stringContaining('Could not read ECS services (attempt 1 of 3)'));
  });

  it('waits while ECS has not listed the record yet, then falls back with a warning after the grace', async () => {
    const client = new ECSClient({ region: 'us-east-1' });
    const ecs = mockClient(client);
    ecs.on(ListServiceDeploymentsCommand).resolves({ serviceDeployments: [] });
    ecs.on(DescribeServicesCommand).resolves(SETTLED_PRIMARY);
    const logger = createRecordingLogger();
    const [outcome] = await waitForServices(client, {
      cluster: 'c1',
      clock: new ManualClock(START),
      logger,
      consistencyGraceMs: 20_000,
      pollIntervalMs: 10_000,
      backoffFactor: 1,
      targets: [{ service: 'api', startedAt: START, deploymentId: 'ecs-svc/new' }],
    });
    expect(outcome).toMatchObject({ state: 'stable', judgedBy: 'primary-deployment' });
    expect(ecs.commandCalls(ListServiceDeploymentsCommand)).toHaveLength(3);
    expect(logger.lines).toContainEqual(
      "warning api: ECS lists no service deployment for our update; judging by the service's PRIMARY deployment instead",
    );
  });

  it('falls back with a warning naming the permissions when the role may not read service deployments', async () => {
    const client = new ECSClient({ region: 'us-east-1' });
    const ecs = mockClient(client);
    ecs.on(ListServiceDeploymentsCommand).rejects(
      Object.assign(
        new Error('User: arn:aws:sts::1:assumed-role/r is not authorized to perform: ecs:ListServiceDeployments'),
        {
          name: 'AccessDeniedException',
          $metadata: { httpStatusCode: 400 },
        },
      ),
    );
    ecs.on(DescribeServicesCommand).resolves(SETTLED_PRIMARY);
    const logger = createRecordingLogger();
    const [outcome] = await waitForServices(client, {
      cluster: 'c1',
      clock: new ManualClock(START),
      logger,
      targets: [{ service: 'api', startedAt: START, deploymentId: 'ecs-svc/new' }],
    });
    expect(outcome).toMatchObject({ state: 'stable', judgedBy: 'primary-deployment' });
    expect(logger.lines).toContainEqual(
      expect.stringMatching(/^warning api: the role may not read service deployments: add ecs:ListServiceDeployments/),
    );
  });
});
