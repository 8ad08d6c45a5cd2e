import { describe, expect, it } from '@jest/globals';
import {
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { ManualClock } from '../action/clock.js';
import { redeployAndWait } from './redeploy-and-wait.js';

describe('redeployAndWait', () => {
  it('follows the service deployment record its UpdateService started, on the task definition the service runs', async () => {
    const client = new ECSClient({ region: 'us-east-1' });
    const ecs = mockClient(client);
    const created = new Date('2026-01-01T00:00:03Z');
    ecs.on(UpdateServiceCommand).resolves({
      service: {
        deployments: [{ id: 'ecs-svc/new', status: 'PRIMARY', taskDefinition: 'td/api:4', createdAt: created }],
      },
    });
    ecs.on(ListServiceDeploymentsCommand).resolves({
      serviceDeployments: [
        {
          serviceDeploymentArn: 'sd/someone-later',
          createdAt: new Date('2026-01-01T00:00:07Z'),
          targetServiceRevisionArn: 'rev/3',
        },
        { serviceDeploymentArn: 'sd/ours', createdAt: created, targetServiceRevisionArn: 'rev/2' },
      ],
    });
    ecs.on(DescribeServiceRevisionsCommand).resolves({
      serviceRevisions: [
        { serviceRevisionArn: 'rev/2', taskDefinition: 'td/api:4' },
        { serviceRevisionArn: 'rev/3', taskDefinition: 'td/api:4' },
      ],
    });
    ecs.on(DescribeServiceDeploymentsCommand).resolves({
      serviceDeployments: [{ serviceDeploymentArn: 'sd/ours', status: 'SUCCESSFUL' }],
    });

    const [outcome] = await redeployAndWait(client, {
      cluster: 'c1',
      clock: new ManualClock(),
      targets: [{ service: 'api' }],
    });

    expect(outcome).toMatchObject({ state: 'stable', serviceDeploymentArn: 'sd/ours', judgedBy: 'service-deployment' });
    expect(ecs.commandCalls(UpdateServiceCommand)[0]?.args[0].input).toEqual({
      cluster: 'c1',
      service: 'api',
      forceNewDeployment: true,
    });
    expect(ecs.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0);
  });

  it('waits for exactly the deployment it started, not the one that was primary before (no deployment API)', async () => {
    const client = new ECSClient({ region: 'us-east-1' });
    const ecs = mockClient(client);
    ecs
      .on(ListServiceDeploymentsCommand)
      .rejects(Object.assign(new Error('not implemented'), { $metadata: { httpStatusCode: 501 } }));
    ecs
      .on(UpdateServiceCommand)
      .resolves({ service: { deployments: [{ id: 'ecs-svc/rollback', status: 'PRIMARY' }] } });
    ecs.on(DescribeServicesCommand).resolves({
      services: [
        {
          serviceName: 'api',
          status: 'ACTIVE',
          desiredCount: 1,
          deployments: [
            { id: 'ecs-svc/rollback', status: 'PRIMARY', desiredCount: 1, runningCount: 1, rolloutState: 'COMPLETED' },
            { id: 'ecs-svc/bad', status: 'ACTIVE', rolloutState: 'FAILED' },
          ],
        },
      ],
    });

    const [outcome] = await redeployAndWait(client, {
      cluster: 'c1',
      clock: new ManualClock(),
      targets: [{ service: 'api' }],
    });

    expect(outcome).toMatchObject({ service: 'api', state: 'stable', deploymentId: 'ecs-svc/rollback' });
    expect(ecs.commandCalls(UpdateServiceCommand)[0]?.args[0].input).toMatchObject({
      cluster: 'c1',
      service: 'api',
      forceNewDeployment: true,
    });
  });
});
