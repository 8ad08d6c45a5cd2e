import { describe, expect, it } from '@jest/globals';
import {
  DescribeServicesCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
  ListServicesCommand,
  UpdateServiceCommand,
  type Service,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { ManualClock } from '../action/clock.js';
import { ConfigurationError } from '../action/errors.js';
import { toEcsTags } from '../ecs/ecs-tags.js';
import { createOwnershipTags } from '../preview/ownership-tags.js';
import { restartEnvironment } from './restart-environment.js';

const REPO = 'octo-org/app';

function service(name: string, desiredCount: number, repo = REPO): Service {
  return {
    serviceName: `pr-7-${name}`,
    serviceArn: `arn:aws:ecs:us-east-1:1:service/c1/pr-7-${name}`,
    status: 'ACTIVE',
    desiredCount,
    deployments: [
      {
        id: `ecs-svc/${name}-new`,
        status: 'PRIMARY',
        desiredCount,
        runningCount: desiredCount,
        rolloutState: 'COMPLETED',
      },
    ],
    tags: toEcsTags(createOwnershipTags({ repo, pr: 7, service: name, deployedAt: new Date(0) })),
  };
}

function mockEcs(services: Service[]) {
  const client = new ECSClient({ region: 'us-east-1' });
  const ecs = mockClient(client);
  ecs.on(ListServicesCommand).resolves({ serviceArns: services.flatMap((s) => (s.serviceArn ? [s.serviceArn] : [])) });
  ecs.on(DescribeServicesCommand).resolves({ services });
  // An endpoint without service deployment records: the restart is judged by the PRIMARY deployment.
  ecs
    .on(ListServiceDeploymentsCommand)
    .rejects(Object.assign(new Error('unknown operation'), { name: 'UnknownOperationException', $metadata: {} }));
  ecs.on(UpdateServiceCommand).callsFake((input: { service: string }) => ({
    service: services.find((s) => s.serviceArn === input.service || s.serviceName === input.service),
  }));
  return { client, ecs };
}

const request = (client: ECSClient) => ({ ecs: client, cluster: 'c1', repo: REPO, pr: 7, clock: new ManualClock() });

describe('restartEnvironment', () => {
  it('redeploys only the running services the PR owns, and waits for them', async () => {
    const { client, ecs } = mockEcs([service('api', 1), service('worker', 0), service('web', 1, 'someone/else')]);
    const outcomes = await restartEnvironment(request(client));
    expect(outcomes.map((o) => [o.service, o.state])).toEqual([['pr-7-api', 'stable']]);
    expect(ecs.commandCalls(UpdateServiceCommand).map((c) => c.args[0].input)).toEqual([
      { cluster: 'c1', service: 'pr-7-api', forceNewDeployment: true },
    ]);
  });

  it('refuses a hibernated environment and a missing one without any write', async () => {
    const hibernated = mockEcs([service('api', 0)]);
    await expect(restartEnvironment(request(hibernated.client))).rejects.toThrow(
      new ConfigurationError(
        "Pull request #7's preview is hibernated (every service at 0 tasks): comment /deploy to wake it",
      ),
    );
    const missing = mockEcs([]);
    await expect(restartEnvironment(request(missing.client))).rejects.toThrow(/has no preview environment to restart/);
    expect(hibernated.ecs.commandCalls(UpdateServiceCommand)).toEqual([]);
    expect(missing.ecs.commandCalls(UpdateServiceCommand)).toEqual([]);
  });
});
