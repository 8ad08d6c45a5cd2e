import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { CreateClusterCommand, CreateServiceCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { describeServicesBatched, listServiceArns, toEcsTags } from '@preview-actions/core/ecs';
import { FULL_COUNT_TAG, parseScaleProfile, scaleEnvironments } from '@preview-actions/core/lifecycle';
import { createOwnershipTags } from '@preview-actions/core/preview';
import { runActionBundle } from '../harness/index.js';
import { workflowDispatchEvent } from '../harness/events.js';
import type { SandboxAwsClients } from '../sandbox/aws-clients.js';
import { sandboxAwsCredentials, sandboxAwsRegion } from '../sandbox/sandbox-constants.js';
import { startPrivateBackends, type PrivateBackends } from './cleanup-backends.js';

jest.setTimeout(180_000);

describe('scale-schedule against moto', () => {
  let backends: PrivateBackends;
  let aws: SandboxAwsClients;
  const suffix = `${process.pid.toString(36)}${Date.now().toString(36).slice(-5)}`;
  const cluster = `h8-scale-${suffix}`;
  const repo = `h8-org/scale-${suffix}`;
  const profile = parseScaleProfile(
    new Map([
      ['api', '1'],
      ['admin', '0'],
      ['celery-*', '0'],
    ]),
  );

  beforeAll(async () => {
    backends = await startPrivateBackends();
    aws = backends.aws;
    await aws.ecs.send(new CreateClusterCommand({ clusterName: cluster }));
    const seed = async (pr: number, service: string, count: number, extra: { hibernatedAt?: Date } = {}) => {
      const tags = toEcsTags(
        createOwnershipTags({ repo, pr, service, deployedAt: new Date('2026-03-01T00:00:00Z'), ...extra }),
      );
      const td = await aws.ecs.send(
        new RegisterTaskDefinitionCommand({
          family: `h8s-${suffix}-${service}`,
          cpu: '512',
          memory: '1024',
          containerDefinitions: [{ name: service, image: 'nginx', memory: 1024 }],
        }),
      );
      await aws.ecs.send(
        new CreateServiceCommand({
          cluster,
          serviceName: `pr-${pr}-${service}`,
          taskDefinition: td.taskDefinition?.taskDefinitionArn,
          desiredCount: count,
          tags,
        }),
      );
    };
    for (const pr of [1, 2]) {
      await seed(pr, 'api', 3);
      await seed(pr, 'admin', 1);
      await seed(pr, 'celery-worker', 2);
      await seed(pr, 'web', 2);
    }
    await seed(3, 'api', 2, { hibernatedAt: new Date('2026-03-02T00:00:00Z') });
  });

  afterAll(async () => {
    await backends?.close();
  });

  const counts = async () => {
    const described = await describeServicesBatched(aws.ecs, cluster, await listServiceArns(aws.ecs, cluster));
    return Object.fromEntries(described.map((s) => [s.name, [s.service?.desiredCount, s.tags[FULL_COUNT_TAG]]]));
  };

  it('scales down to the profile, stays put when run again, and restores the exact counts going up, never touching hibernated ones', async () => {
    const request = { ecs: aws.ecs, cluster, repo, profile, reducedHoursPerDay: 5 };
    const dry = await scaleEnvironments({ ...request, direction: 'down', dryRun: true });
    expect(dry.changes).toHaveLength(6);
    expect((await counts())['pr-1-api']).toEqual([3, undefined]);

    const down = await scaleEnvironments({ ...request, direction: 'down' });
    expect(down.failures).toEqual([]);
    expect(down.hibernated).toEqual([3]);
    expect(down.changes).toEqual(
      expect.arrayContaining([
        { pr: 1, service: 'pr-1-api', from: 3, to: 1 },
        { pr: 1, service: 'pr-1-admin', from: 1, to: 0 },
        { pr: 1, service: 'pr-1-celery-worker', from: 2, to: 0 },
      ]),
    );
    // (3-1)+(1-0)+(2-0) = 5 tasks of 0.5 vCPU / 1 GiB for 5 h, twice: 50 task-hours at the Fargate price.
    expect(down.dailySavingUsd).toBeCloseTo(50 * (0.5 * 0.04048 + 1 * 0.004445), 6);
    expect(await counts()).toMatchObject({
      'pr-1-api': [1, '3'],
      'pr-1-admin': [0, '1'],
      'pr-1-celery-worker': [0, '2'],
      'pr-1-web': [2, undefined],
      'pr-3-api': [2, undefined],
    });

    const again = await scaleEnvironments({ ...request, direction: 'down' });
    expect(again.changes).toEqual([]);
    expect((await counts())['pr-2-api']).toEqual([1, '3']);

    const up = await scaleEnvironments({ ...request, direction: 'up' });
    expect(up.changes).toHaveLength(6);
    expect(await counts()).toMatchObject({
      'pr-1-api': [3, undefined],
      'pr-1-admin': [1, undefined],
      'pr-1-celery-worker': [2, undefined],
      'pr-2-api': [3, undefined],
      'pr-1-web': [2, undefined],
      'pr-3-api': [2, undefined],
    });
  });

  it('runs bundled: mode down applies the profile and reports the saving, mode up restores', async () => {
    const run = (mode: string) =>
      runActionBundle({
        action: 'scale-schedule',
        repository: repo,
        event: workflowDispatchEvent({ mode }, { repository: repo }),
        inputs: { cluster, mode },
        env: {
          AWS_ENDPOINT_URL: backends.awsUrl,
          AWS_REGION: sandboxAwsRegion,
          AWS_ACCESS_KEY_ID: sandboxAwsCredentials.accessKeyId,
          AWS_SECRET_ACCESS_KEY: sandboxAwsCredentials.secretAccessKey,
        },
        timeoutMs: 60_000,
      });
    const down = await run('down');
    expect(down.exitCode).toBe(0);
    expect(down.outputs.direction).toBe('down');
    expect(JSON.parse(down.outputs.changed ?? '[]')).toHaveLength(6);
    // Default windows: 19 h full capacity on weekdays, so 24 - 95/7 reduced hours a day on average.
    expect(Number(down.outputs['daily-saving-usd'])).toBeCloseTo(10 * (24 - 95 / 7) * (0.5 * 0.04048 + 0.004445), 2);
    expect(down.summary).toMatch(/reduced profile[\s\S]*pr-1-api \| 3 \| 1/);
    const up = await run('up');
    expect(up.exitCode).toBe(0);
    expect((await counts())['pr-2-celery-worker']).toEqual([2, undefined]);
  });
});
