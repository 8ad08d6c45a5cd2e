import { describe, expect, it } from '@jest/globals';
import { DescribeServicesCommand, ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { ManualClock } from '../action/clock.js';
import { redeployAndWait } from './redeploy-and-wait.js';

describe('redeployAndWait', () => {
  it('waits for exactly the deployment it started, not the one that was primary before', async () => {
    const client = new ECSClient({ region: 'us-east-1' });
    const ecs = mockClient(client);
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
