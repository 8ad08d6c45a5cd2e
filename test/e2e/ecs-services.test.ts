import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DescribeTaskDefinitionCommand, ECSClient, ListServicesCommand } from '@aws-sdk/client-ecs';
import { ManualClock, systemClock } from '@preview-actions/core/action';
import type { OciClient } from '@preview-actions/core/registry';
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
import { createSandboxAwsClients, destroySandboxAwsClients, type SandboxAwsClients } from '../sandbox/aws-clients.js';
import { pushBehaviourImage, type BehaviourImage, type SandboxEcsBehaviour } from '../sandbox/behaviour-image.js';
import { connectBasicRegistry } from '../sandbox/basic-registry.js';
import { ensureSandbox } from '../sandbox/ensure.js';
import { createThrowawayCluster, deleteClusterWithInstance } from '../sandbox/seed-aws.js';

// moto is shared by every e2e file, so each run works under its own repository and PR number.
const repo = `e2e-ecs/run-${process.pid}-${Date.now()}`;
const pr = 7000 + (process.pid % 1000);
const family = (service: string) => `pr-${pr}-${service}`;

let ecs: ECSClient;
let cluster: string;
let clients: SandboxAwsClients;
let throwaway: { name: string; containerInstanceArn: string } | undefined;
let registry: { client: OciClient; host: string };
const images = new Map<string, BehaviourImage>();
// The sandbox's ECS runs tasks in (short) real time, so waits poll on the wall clock.
const fast = { clock: systemClock, pollIntervalMs: 200, maxPollIntervalMs: 500 };

beforeAll(async () => {
  const sandbox = await ensureSandbox();
  // Straight to moto: fault-proxy rules are global and belong to the tests that set them.
  ecs = new ECSClient({
    endpoint: sandbox.aws.directUrl,
    region: sandbox.aws.region,
    credentials: { accessKeyId: sandbox.aws.accessKeyId, secretAccessKey: sandbox.aws.secretAccessKey },
    maxAttempts: 2,
  });
  clients = createSandboxAwsClients(sandbox.aws.directUrl);
  // A cluster of its own (with a container instance to place tasks on), so no other file's tasks show up here.
  throwaway = await createThrowawayCluster(
    clients,
    sandbox.seeded,
    `e2e-ecs-${process.pid}-${Date.now().toString(36)}`,
  );
  cluster = throwaway.name;
  registry = connectBasicRegistry(sandbox);
  // A first start on a fresh machine installs packages and fetches moto.
}, 16 * 60_000);
afterAll(async () => {
  if (throwaway) await deleteClusterWithInstance(clients, throwaway);
  if (clients) destroySandboxAwsClients(clients);
  ecs?.destroy();
});

/** The image a service's tasks run: pushed once per behaviour, so ECS can resolve it and does what it says. */
async function imageFor(behaviour: SandboxEcsBehaviour): Promise<BehaviourImage> {
  let image = images.get(behaviour);
  if (!image) {
    image = await pushBehaviourImage(registry, `e2e-ecs/run-${process.pid}`, behaviour.replace(/\W/g, '-'), behaviour);
    images.set(behaviour, image);
  }
  return image;
}

async function register(service: string, behaviour: SandboxEcsBehaviour = 'healthy') {
  const { reference } = await imageFor(behaviour);
  return registerTaskDefinitionWithTags(
    ecs,
    {
      family: family(service),
      networkMode: 'bridge',
      requiresCompatibilities: ['EC2'],
      containerDefinitions: [
        {
          name: service,
          image: reference,
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

describe('ECS services on the sandbox', () => {
  it('creates a missing service with our tags, then waits for its deployment to be stable', async () => {
    const td = await register('api');
    const created = await upsertService(ecs, spec('api', td.taskDefinitionArn), { clock: systemClock });

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
      ...fast,
      targets: [
        {
          service: family('api'),
          deploymentId: created.deploymentId,
          startedAt: created.startedAt,
          taskDefinition: td.taskDefinitionArn,
        },
      ],
    });
    // ECS's record of the deployment our CreateService started is what the verdict rests on.
    expect(outcome).toMatchObject({
      state: 'stable',
      deploymentId: created.deploymentId,
      judgedBy: 'service-deployment',
    });
  });

  it('updates the ACTIVE service with a new deployment and waits for exactly that one', async () => {
    const td = await register('api');
    const updated = await upsertService(ecs, spec('api', td.taskDefinitionArn), { clock: systemClock });

    expect(updated.action).toBe('updated');
    const [outcome] = await waitForServices(ecs, {
      cluster,
      ...fast,
      targets: [{ service: family('api'), deploymentId: updated.deploymentId }],
    });
    expect(outcome?.state).toBe('stable');

    const [again] = await redeployAndWait(ecs, {
      cluster,
      ...fast,
      targets: [{ service: family('api') }],
    });
    expect(again?.state).toBe('stable');
    expect(again?.deploymentId).not.toBe(updated.deploymentId);
  });

  it('times out, with diagnostics, on a deployment whose tasks are not healthy before the timeout', async () => {
    // Tasks that take a minute to become healthy: the deployment stays IN_PROGRESS past a 2 s wait.
    const td = await register('worker', 'slow=60');
    const created = await upsertService(ecs, spec('worker', td.taskDefinitionArn, 2), { clock: systemClock });

    const [outcome] = await waitForServices(ecs, {
      cluster,
      ...fast,
      targets: [{ service: family('worker'), deploymentId: created.deploymentId }],
      timeoutMs: 2_000,
    });

    expect(outcome?.state).toBe('timeout');
    expect(outcome?.reason).toMatch(/^not stable after 2 s: /);
    // Nothing failed: the tasks are still starting, so no stopped task is blamed.
    expect(outcome?.diagnostics).toMatchObject({ service: family('worker'), stoppedTasks: [] });
  });

  it('checks the digest ECS recorded for the deployment: the pushed one is stable, another is refused', async () => {
    const { digest } = await imageFor('healthy');
    const [matching] = await waitForServices(ecs, {
      cluster,
      ...fast,
      targets: [{ service: family('api'), expectedDigest: digest }],
      timeoutMs: 30_000,
      diagnostics: false,
    });
    expect(matching).toMatchObject({ state: 'stable', runningDigests: [digest] });

    const other = `sha256:${'a'.repeat(64)}`;
    const [mismatch] = await waitForServices(ecs, {
      cluster,
      ...fast,
      targets: [{ service: family('api'), expectedDigest: other }],
      timeoutMs: 5_000,
      diagnostics: false,
    });
    expect(mismatch?.state).not.toBe('stable');
    expect(mismatch?.runningDigests).toEqual([digest]);
    expect(mismatch?.reason).toContain(digest);
  });

  it('fails at once for a service scaled to zero', async () => {
    const td = await register('cron');
    await upsertService(ecs, spec('cron', td.taskDefinitionArn, 0), { clock: systemClock });

    // A verdict on the first look, before any pause: a clock that never moves shows it took no time.
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

    // As on AWS, ListServices leaves DRAINING and INACTIVE services out, and DescribeServices still shows them.
    const listed: string[] = [];
    let nextToken: string | undefined;
    for (let page = 0; page === 0 || (nextToken && page < 50); page++) {
      const out = await ecs.send(new ListServicesCommand({ cluster, maxResults: 100, nextToken }));
      listed.push(...(out.serviceArns ?? []));
      nextToken = out.nextToken;
    }
    expect(listed.filter((arn) => arn.includes(`/pr-${pr}-`))).toEqual([]);
    const [deleted] = await describeServicesBatched(ecs, cluster, [family('api')]);
    expect(['DRAINING', 'INACTIVE']).toContain(deleted?.status);
    expect(await listOwnedServices(ecs, cluster, { repo, pr })).toEqual([]);
  });

  it('creates a service again over its deleted predecessor', async () => {
    const td = await register('api');
    const recreated = await upsertService(ecs, spec('api', td.taskDefinitionArn), { clock: systemClock });

    expect(recreated.action).toBe('created');
    expect(await deleteServiceSafely(ecs, cluster, family('api'))).toBe('deleted');
  });

  it('deregisters every task definition revision of the PR and deletes what ECS allows; a second pass deletes nothing new', async () => {
    const arns = await listTaskDefinitionArns(ecs, `pr-${pr}-`);
    expect(arns.length).toBeGreaterThanOrEqual(5);
    expect(arns.every((arn) => arn.includes(`:task-definition/pr-${pr}-`))).toBe(true);

    const first = await deregisterAndDeleteTaskDefinitions(ecs, arns);
    // the sandbox deletes as ECS does (test/sandbox/moto-ecs: DeleteTaskDefinitions → DELETE_IN_PROGRESS)
    expect([...first.deleted].sort()).toEqual([...arns].sort());
    expect(first.notDeleted).toEqual([]);
    for (const taskDefinition of arns) {
      const status = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition })).then(
        (out) => out.taskDefinition?.status,
        () => 'GONE',
      );
      expect([taskDefinition, status]).not.toEqual([taskDefinition, 'ACTIVE']);
    }

    const second = await deregisterAndDeleteTaskDefinitions(ecs, arns);
    expect(second.deleted).toEqual([]);
    expect([...second.alreadyGone].sort()).toEqual([...arns].sort());
  });
});
