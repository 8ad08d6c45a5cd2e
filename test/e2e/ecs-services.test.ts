import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DescribeTaskDefinitionCommand, ECSClient, ListServicesCommand } from '@aws-sdk/client-ecs';
import { ManualClock } from '@preview-actions/core/action';
import {
  deleteServiceSafely,
  deregisterAndDeleteTaskDefinitions,
  describeServicesBatched,
  listOwnedServices,
  listTaskDefinitionArns,
  redeployAndWait,
  registerTaskDefinitionWithTags,
  upsertService,
  waitForServices,
  type ServiceSpec,
} from '@preview-actions/core/ecs';
import { createOwnershipTags } from '@preview-actions/core/preview';
import { ensureSandbox } from '../sandbox/ensure.js';

// moto is shared by every e2e file, so each run works under its own repository and PR number.
const repo = `e2e-ecs/run-${process.pid}-${Date.now()}`;
const pr = 7000 + (process.pid % 1000);
const family = (service: string) => `pr-${pr}-${service}`;

let ecs: ECSClient;
let cluster: string;

beforeAll(async () => {
  const sandbox = await ensureSandbox();
  // Straight to moto: fault-proxy rules are global and belong to the tests that set them.
  ecs = new ECSClient({
    endpoint: sandbox.aws.directUrl,
    region: sandbox.aws.region,
    credentials: { accessKeyId: sandbox.aws.accessKeyId, secretAccessKey: sandbox.aws.secretAccessKey },
    maxAttempts: 2,
  });
  cluster = sandbox.seeded.clusters.previews;
  // A first start on a fresh machine installs packages and fetches moto.
}, 16 * 60_000);
afterAll(() => ecs?.destroy());

async function register(service: string) {
  return registerTaskDefinitionWithTags(
    ecs,
    {
      family: family(service),
      networkMode: 'bridge',
      requiresCompatibilities: ['EC2'],
      containerDefinitions: [
        {
          name: service,
          image: `123456789012.dkr.ecr.us-east-1.amazonaws.com/api@sha256:${'a'.repeat(64)}`,
          memory: 256,
          environment: [
            { name: 'PR_NUMBER', value: String(pr) },
            { name: 'SERVICE_TYPE', value: service },
            { name: 'REDIS_PREFIX', value: `pr-${pr}` },
          ],
          logConfiguration: {
            logDriver: 'awslogs',
            options: {
              'awslogs-group': '/ecs/pr-environments',
              'awslogs-region': 'us-east-1',
              'awslogs-stream-prefix': `pr-${pr}`,
            },
          },
        },
      ],
    },
    createOwnershipTags({ repo, pr, service }),
  );
}

function spec(service: string, taskDefinition: string, desiredCount = 1): ServiceSpec {
  return {
    cluster,
    serviceName: family(service),
    taskDefinition,
    desiredCount,
    launchType: 'EC2',
    placementConstraints: [{ type: 'memberOf', expression: 'attribute:ecs.instance-type =~ m5.*' }],
    tags: createOwnershipTags({
      repo,
      pr,
      service,
      deployedAt: new Date('2026-01-01T00:00:00Z'),
      expiresAt: new Date('2026-01-08T00:00:00Z'),
    }),
  };
}

describe('ECS services on moto', () => {
  it('creates a missing service with our tags, then waits for its deployment to be stable', async () => {
    const td = await register('api');
    const created = await upsertService(ecs, spec('api', td.taskDefinitionArn), { clock: new ManualClock() });

    expect(created.action).toBe('created');
    expect(created.deploymentId).toMatch(/^ecs-svc\//);
    const [described] = await describeServicesBatched(ecs, cluster, [family('api')]);
    expect(described?.status).toBe('ACTIVE');
    expect(described?.tags).toMatchObject({
      'preview-actions:managed': 'true',
      'preview-actions:repo': repo,
      'preview-actions:pr': String(pr),
    });

    const [outcome] = await waitForServices(ecs, {
      cluster,
      clock: new ManualClock(),
      targets: [{ service: family('api'), deploymentId: created.deploymentId }],
    });
    expect(outcome).toMatchObject({ state: 'stable', deploymentId: created.deploymentId });
  });

  it('updates the ACTIVE service with a new deployment and waits for exactly that one', async () => {
    const td = await register('api');
    const updated = await upsertService(ecs, spec('api', td.taskDefinitionArn), { clock: new ManualClock() });

    expect(updated.action).toBe('updated');
    const [outcome] = await waitForServices(ecs, {
      cluster,
      clock: new ManualClock(),
      targets: [{ service: family('api'), deploymentId: updated.deploymentId }],
    });
    expect(outcome?.state).toBe('stable');

    const [again] = await redeployAndWait(ecs, {
      cluster,
      clock: new ManualClock(),
      targets: [{ service: family('api') }],
    });
    expect(again?.state).toBe('stable');
    expect(again?.deploymentId).not.toBe(updated.deploymentId);
  });

  it('times out, with diagnostics, on a deployment that never reaches its desired count', async () => {
    const td = await register('worker');
    // moto runs MOTO_ECS_SERVICE_RUNNING (1) task per service, so two desired stays IN_PROGRESS for good.
    const created = await upsertService(ecs, spec('worker', td.taskDefinitionArn, 2), { clock: new ManualClock() });
    const clock = new ManualClock();
    const started = clock.now().getTime();

    const [outcome] = await waitForServices(ecs, {
      cluster,
      clock,
      targets: [{ service: family('worker'), deploymentId: created.deploymentId }],
      timeoutMs: 60_000,
    });

    expect(outcome?.state).toBe('timeout');
    // moto gives no rolloutState, so this is the only-deployment rule's view of it.
    expect(outcome?.reason).toContain('running 1/2');
    expect(outcome?.diagnostics).toMatchObject({ service: family('worker'), stoppedTasks: [] });
    expect(clock.now().getTime() - started).toBe(60_000);
  });

  it('does not claim a digest it cannot see: moto starts no tasks for services', async () => {
    const [outcome] = await waitForServices(ecs, {
      cluster,
      clock: new ManualClock(),
      targets: [{ service: family('api'), expectedDigest: `sha256:${'a'.repeat(64)}` }],
      timeoutMs: 30_000,
      diagnostics: false,
    });

    expect(outcome?.state).toBe('timeout');
    // moto ignores ListTasks' serviceName, so tasks another test ran in this cluster may show up here without digests.
    expect(outcome?.reason).toMatch(/no task is RUNNING yet|report no image digest/);
  });

  it('fails at once for a service scaled to zero', async () => {
    const td = await register('cron');
    await upsertService(ecs, spec('cron', td.taskDefinitionArn, 0), { clock: new ManualClock() });

    const [outcome] = await waitForServices(ecs, {
      cluster,
      clock: new ManualClock(),
      targets: [{ service: family('cron') }],
      diagnostics: false,
    });

    expect(outcome).toMatchObject({
      state: 'failed',
      reason: 'desired count is 0, so the service can never become stable',
      elapsedMs: 0,
    });
  });

  it('finds our services by tag, deletes them (scale to 0 first), and counts a second delete as done', async () => {
    const owned = await listOwnedServices(ecs, cluster, { repo, pr });
    expect(owned.map((d) => d.name).sort()).toEqual([family('api'), family('cron'), family('worker')]);
    expect(await listOwnedServices(ecs, cluster, { repo, pr: pr + 1 })).toEqual([]);

    for (const d of owned) expect(await deleteServiceSafely(ecs, cluster, d.name)).toBe('deleted');
    expect(await deleteServiceSafely(ecs, cluster, family('api'))).toBe('already-gone');

    // moto, like ECS for a while, still lists deleted services; discovery must not return them.
    const listed: string[] = [];
    let nextToken: string | undefined;
    for (let page = 0; page === 0 || (nextToken && page < 50); page++) {
      const out = await ecs.send(new ListServicesCommand({ cluster, maxResults: 100, nextToken }));
      listed.push(...(out.serviceArns ?? []));
      nextToken = out.nextToken;
    }
    expect(listed.some((arn) => arn.endsWith(`/${family('api')}`))).toBe(true);
    expect(await listOwnedServices(ecs, cluster, { repo, pr })).toEqual([]);
  });

  it('creates a service again over its INACTIVE predecessor', async () => {
    const td = await register('api');
    const recreated = await upsertService(ecs, spec('api', td.taskDefinitionArn), { clock: new ManualClock() });

    expect(recreated.action).toBe('created');
    expect(await deleteServiceSafely(ecs, cluster, family('api'))).toBe('deleted');
  });

  it('deregisters every task definition revision of the PR and deletes what ECS allows; a second pass deletes nothing new', async () => {
    const arns = await listTaskDefinitionArns(ecs, `pr-${pr}-`);
    expect(arns.length).toBeGreaterThanOrEqual(5);
    expect(arns.every((arn) => arn.includes(`:task-definition/pr-${pr}-`))).toBe(true);

    const first = await deregisterAndDeleteTaskDefinitions(ecs, arns);
    // Deleting is best effort (moto 5.1 has no DeleteTaskDefinitions); deregistering is not.
    const settled = [...first.deleted, ...first.notDeleted.map((n) => n.taskDefinition)];
    expect(settled.sort()).toEqual([...arns].sort());
    for (const taskDefinition of arns) {
      const status = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition })).then(
        (out) => out.taskDefinition?.status,
        () => 'GONE',
      );
      expect([taskDefinition, status]).not.toEqual([taskDefinition, 'ACTIVE']);
    }

    const second = await deregisterAndDeleteTaskDefinitions(ecs, arns);
    expect(second.deleted).toEqual([]);
  });
});
