import { describe, expect, it } from '@jest/globals';
import {
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
  type ServiceDeploymentStatus,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { ManualClock } from '../action/clock.js';
import { OCI_MANIFEST } from '../registry/media-types.js';
import { createRecordingLogger, MemoryManifestStore } from '../testing/index.js';
import { promoteRelease, type EcsRollout, type PromoteReleaseRequest } from './promote-release.js';
import type { RollbackPlan } from './roll-back-release.js';

const START = new Date('2026-01-01T00:00:00Z');
const image = (n: number) => ({
  schemaVersion: 2,
  mediaType: OCI_MANIFEST,
  config: { digest: `sha256:${String(n).repeat(64)}` },
});

/** A registry where api:v1.0.0-rc.1 is new and api:prod holds the previous release. */
function registry() {
  const store = new MemoryManifestStore();
  const rc = store.add('api', image(1), 'v1.0.0-rc.1');
  const old = store.add('api', image(2), 'prod');
  return { store, rc: rc.digest, old: old.digest };
}

/**
 * ECS with service deployment records. Our first deployment's record answers `first` (then
 * repeats); the rollback's own new deployment (second UpdateService) answers SUCCESSFUL, recording
 * the digest the tag held then.
 */
function ecsWithRecords(first: ServiceDeploymentStatus[], digestOf: () => string) {
  const client = new ECSClient({ region: 'us-east-1' });
  const ecs = mockClient(client);
  let updates = 0;
  ecs.on(UpdateServiceCommand).callsFake(async () => {
    updates++;
    return {
      service: {
        deployments: [
          {
            id: `ecs-svc/${updates}`,
            status: 'PRIMARY',
            taskDefinition: 'td/api:1',
            createdAt: new Date(START.getTime() + updates * 60_000),
          },
        ],
      },
    };
  });
  const digests: string[] = [];
  ecs.on(ListServiceDeploymentsCommand).callsFake(async () => {
    digests[updates] ??= digestOf();
    return {
      serviceDeployments: [
        {
          serviceDeploymentArn: `sd/${updates}`,
          createdAt: new Date(START.getTime() + updates * 60_000),
          targetServiceRevisionArn: `rev/${updates}`,
        },
      ],
    };
  });
  ecs.on(DescribeServiceRevisionsCommand).callsFake(async (input: { serviceRevisionArns: string[] }) => ({
    serviceRevisions: input.serviceRevisionArns.map((arn) => ({
      serviceRevisionArn: arn,
      taskDefinition: 'td/api:1',
      containerImages: [{ containerName: 'app', imageDigest: digests[Number(arn.split('/')[1])] }],
    })),
  }));
  const looks: Record<string, number> = {};
  let stopped = false;
  ecs.on(DescribeServiceDeploymentsCommand).callsFake(async (input: { serviceDeploymentArns: string[] }) => ({
    serviceDeployments: input.serviceDeploymentArns.map((arn) => {
      const n = (looks[arn] = (looks[arn] ?? 0) + 1);
      if (arn !== 'sd/1')
        return { serviceDeploymentArn: arn, status: 'SUCCESSFUL', targetServiceRevision: { arn: 'rev/2' } };
      if (stopped) return { serviceDeploymentArn: arn, status: n % 2 ? 'ROLLBACK_IN_PROGRESS' : 'ROLLBACK_SUCCESSFUL' };
      return {
        serviceDeploymentArn: arn,
        status: first[Math.min(n - 1, first.length - 1)],
        targetServiceRevision: { arn: 'rev/1' },
      };
    }),
  }));
  ecs.on(StopServiceDeploymentCommand).callsFake(async () => {
    stopped = true;
    return {};
  });
  ecs.on(ListTasksCommand).resolves({ taskArns: [] });
  ecs.on(DescribeServicesCommand).resolves({ services: [{ serviceName: 'api', status: 'ACTIVE', events: [] }] });
  return { client, ecs };
}

function request(rollout: EcsRollout, over: Partial<PromoteReleaseRequest> = {}): PromoteReleaseRequest {
  return {
    images: [{ service: 'api', image: { host: 'reg.test', repository: 'api' } }],
    sourceTag: 'v1.0.0-rc.1',
    targets: [
      { tag: 'v1.0.0', immutable: true },
      { tag: 'prod', immutable: false },
    ],
    dryRun: false,
    rollout,
    ...over,
  };
}

function rolloutOn(client: ECSClient, over: Partial<EcsRollout> = {}): EcsRollout {
  return {
    ecs: client,
    cluster: 'c1',
    services: [['api', 'api-svc']],
    timeoutMs: 60_000,
    verifyRunningDigest: true,
    rollbackOnFailure: true,
    ...over,
  };
}

describe('promoteRelease', () => {
  it('moves the tags, redeploys the current task definition, and proves the revision records the promoted digest', async () => {
    const { store, rc } = registry();
    const { client, ecs } = ecsWithRecords(['IN_PROGRESS', 'SUCCESSFUL'], () => store.tags.get('api:prod')!);
    const saved: (RollbackPlan | undefined)[] = [];
    let recordedBeforeWrite = false;

    const result = await promoteRelease(request(rolloutOn(client)), {
      storeFor: async () => store,
      clock: new ManualClock(START),
      log: createRecordingLogger(),
      beforeWrite: async (r) => {
        recordedBeforeWrite = store.tags.get('api:prod') !== rc && r.previousDigests.api?.prod !== undefined;
      },
      saveRollbackPlan: (plan) => saved.push(plan),
    });

    expect(result).toMatchObject({ deployed: true, rolledBack: false });
    expect(result.rollout[0]).toMatchObject({ state: 'stable', serviceDeploymentArn: 'sd/1', runningDigests: [rc] });
    expect(recordedBeforeWrite).toBe(true);
    expect(saved.map((p) => p?.tags.length)).toEqual([1, undefined]);
    expect(ecs.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0);
    expect(ecs.commandCalls(UpdateServiceCommand)[0]?.args[0].input).toEqual({
      cluster: 'c1',
      service: 'api-svc',
      forceNewDeployment: true,
    });
  });

  it('on a timeout while ECS is still deploying: restores the tag, stops the deployment with ROLLBACK and waits for it', async () => {
    const { store, old } = registry();
    const { client, ecs } = ecsWithRecords(['IN_PROGRESS'], () => store.tags.get('api:prod')!);

    const result = await promoteRelease(request(rolloutOn(client, { timeoutMs: 30_000 })), {
      storeFor: async () => store,
      clock: new ManualClock(START),
      log: createRecordingLogger(),
    });

    expect(store.tags.get('api:prod')).toBe(old);
    expect(ecs.commandCalls(StopServiceDeploymentCommand)[0]?.args[0].input).toEqual({
      serviceDeploymentArn: 'sd/1',
      stopType: 'ROLLBACK',
    });
    expect(ecs.commandCalls(UpdateServiceCommand)).toHaveLength(1);
    expect(result).toMatchObject({ rolledBack: true, deployed: false });
    expect(result.rollback?.ecs).toEqual([
      {
        service: 'api',
        ecsService: 'api-svc',
        how: 'stopped-with-rollback',
        why: 'its deployment was still under way',
      },
    ]);
    expect(result.rollbackRollout[0]).toMatchObject({ state: 'stable', reason: 'rolled back' });
    expect(result.failure).toContain('api-svc timeout');
    expect(result.failure).toContain('stable again');
  });

  it('when ECS stopped our deployment: restores the tag and redeploys, verifying the previous digest', async () => {
    const { store, old } = registry();
    const { client, ecs } = ecsWithRecords(['STOPPED'], () => store.tags.get('api:prod')!);

    const result = await promoteRelease(request(rolloutOn(client)), {
      storeFor: async () => store,
      clock: new ManualClock(START),
      log: createRecordingLogger(),
    });

    expect(ecs.commandCalls(StopServiceDeploymentCommand)).toHaveLength(0);
    expect(ecs.commandCalls(UpdateServiceCommand)).toHaveLength(2);
    expect(result.rollback?.ecs[0]).toMatchObject({ how: 'redeployed' });
    expect(result.rollbackRollout[0]).toMatchObject({ state: 'stable', runningDigests: [old] });
  });

  it('leaves a tag someone else moved meanwhile alone, and does not redeploy over them', async () => {
    const { store } = registry();
    const theirs = store.add('api', image(3)).digest;
    const { client, ecs } = ecsWithRecords(['STOPPED'], () => {
      const ours = store.tags.get('api:prod')!;
      store.tags.set('api:prod', theirs);
      return ours;
    });
    const log = createRecordingLogger();

    const result = await promoteRelease(request(rolloutOn(client)), {
      storeFor: async () => store,
      clock: new ManualClock(START),
      log,
    });

    expect(store.tags.get('api:prod')).toBe(theirs);
    expect(ecs.commandCalls(UpdateServiceCommand)).toHaveLength(1);
    expect(result.rollback?.tags[0]?.outcome).toEqual({ state: 'moved-by-someone-else', holds: theirs });
    expect(log.lines).toContainEqual(expect.stringContaining('so someone else moved it'));
  });

  it('when following the deployment throws, still rolls back with a fresh client', async () => {
    const { store, old } = registry();
    const broken = new ECSClient({ region: 'us-east-1' });
    const brokenMock = mockClient(broken);
    brokenMock.on(UpdateServiceCommand).resolves({
      service: { deployments: [{ id: 'ecs-svc/1', status: 'PRIMARY', createdAt: START }] },
    });
    brokenMock.on(ListServiceDeploymentsCommand).rejects(
      Object.assign(new Error('The security token included in the request is expired'), {
        name: 'ExpiredTokenException',
        $metadata: {},
      }),
    );
    const fresh = ecsWithRecords(['SUCCESSFUL'], () => store.tags.get('api:prod')!);

    const result = await promoteRelease(request(rolloutOn(broken, { freshEcs: () => fresh.client })), {
      storeFor: async () => store,
      clock: new ManualClock(START),
      log: createRecordingLogger(),
    });

    expect(store.tags.get('api:prod')).toBe(old);
    expect(fresh.ecs.commandCalls(UpdateServiceCommand)).toHaveLength(1);
    expect(result).toMatchObject({ rolledBack: true });
    expect(result.failure).toContain('following the deployment failed');
  });

  it('when the rollback cannot run either, says what state production is in and how to finish by hand', async () => {
    const { store, rc, old } = registry();
    const broken = new ECSClient({ region: 'us-east-1' });
    const brokenMock = mockClient(broken);
    brokenMock
      .on(UpdateServiceCommand)
      .rejectsOnce(new Error('boom'))
      .resolves({ service: { deployments: [{ id: 'x', status: 'PRIMARY' }] } });
    brokenMock
      .on(UpdateServiceCommand)
      .rejects(Object.assign(new Error('outage'), { name: 'ServerException', $metadata: {} }));

    const promise = promoteRelease(request(rolloutOn(broken)), {
      storeFor: async () => store,
      clock: new ManualClock(START),
      log: createRecordingLogger(),
    });

    await expect(promise).rejects.toThrow(
      `the rollback failed too (Could not start a new deployment in cluster c1: api-svc: outage). State: reg.test/api:prod may still hold ${rc} (it held ${old})`,
    );
    await expect(promise).rejects.toThrow(
      `skopeo copy --all docker://reg.test/api@${old} docker://reg.test/api:prod && aws ecs update-service --cluster c1 --service api-svc --force-new-deployment`,
    );
  });

  it('with useDeploymentRecords false, judges by the PRIMARY deployment and never reads deployment records', async () => {
    const { store } = registry();
    const client = new ECSClient({ region: 'us-east-1' });
    const ecs = mockClient(client);
    const primary = { id: 'ecs-svc/1', status: 'PRIMARY', taskDefinition: 'td/api:1', createdAt: START };
    ecs.on(UpdateServiceCommand).resolves({ service: { deployments: [primary] } });
    ecs.on(DescribeServicesCommand).resolves({
      services: [
        {
          serviceName: 'api-svc',
          status: 'ACTIVE',
          desiredCount: 1,
          runningCount: 1,
          deployments: [{ ...primary, rolloutState: 'COMPLETED', desiredCount: 1, runningCount: 1 }],
          events: [],
        },
      ],
    });

    const result = await promoteRelease(
      request(rolloutOn(client, { verifyRunningDigest: false, useDeploymentRecords: false })),
      { storeFor: async () => store, clock: new ManualClock(START), log: createRecordingLogger() },
    );

    expect(result.rollout).toMatchObject([{ state: 'stable', judgedBy: 'primary-deployment' }]);
    expect(result.deployed).toBe(true);
    expect(ecs.commandCalls(ListServiceDeploymentsCommand)).toHaveLength(0);
  });

  it('on a re-run, where prod already holds the source, rolls back to the digest the first run recorded', async () => {
    const { store, rc, old } = registry();
    store.tags.set('api:prod', rc);
    store.tags.set('api:v1.0.0', rc);
    const { client } = ecsWithRecords(['STOPPED'], () => store.tags.get('api:prod')!);

    const result = await promoteRelease(
      request(rolloutOn(client), { recordedPreviousDigests: { api: { prod: old } } }),
      { storeFor: async () => store, clock: new ManualClock(START), log: createRecordingLogger() },
    );

    expect(result.previousDigests).toEqual({ api: { prod: old } });
    expect(store.tags.get('api:prod')).toBe(old);
    expect(result.rolledBack).toBe(true);
  });
});
