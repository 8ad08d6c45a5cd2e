import { ACMClient } from '@aws-sdk/client-acm';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { sandboxAwsCredentials, sandboxAwsRegion } from './sandbox-constants.js';

/** One SDK v3 client per service the sandbox seeds, all pointed at `endpoint`. */
export function createSandboxAwsClients(endpoint: string) {
  const config = { endpoint, region: sandboxAwsRegion, credentials: sandboxAwsCredentials, maxAttempts: 2 };
  return {
    acm: new ACMClient(config),
    ec2: new EC2Client(config),
    ecr: new ECRClient(config),
    ecs: new ECSClient(config),
    elbv2: new ElasticLoadBalancingV2Client(config),
    logs: new CloudWatchLogsClient(config),
  };
}

export type SandboxAwsClients = ReturnType<typeof createSandboxAwsClients>;

/** Releases the clients' sockets so the process can exit. */
export function destroySandboxAwsClients(clients: SandboxAwsClients): void {
  for (const client of Object.values(clients)) client.destroy();
}
