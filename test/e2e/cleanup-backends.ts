import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { CreateSubnetCommand, CreateVpcCommand } from '@aws-sdk/client-ec2';
import { Redis } from 'ioredis';
import { createSandboxAwsClients, destroySandboxAwsClients, type SandboxAwsClients } from '../sandbox/aws-clients.js';
import { findFreePorts } from '../sandbox/free-port.js';
import { ensureMoto, motoServerCommand } from '../sandbox/moto.js';

/** A moto and a Redis owned by one test file, with a VPC and two subnets for load balancers. */
export interface PrivateBackends {
  awsUrl: string;
  redisUrl: string;
  aws: SandboxAwsClients;
  vpcId: string;
  subnetIds: [string, string];
  close(): Promise<void>;
}

const START_TIMEOUT_MS = 60_000;

/**
 * Starts a private moto and redis-server (the same Debian builds `pnpm sandbox up` uses) on free loopback ports.
 * The shared sandbox is restarted by other suites while they run; sweeps that take minutes need backends nobody
 * else stops. Throws naming what to install when a piece does not start.
 */
export async function startPrivateBackends(): Promise<PrivateBackends> {
  const moto = ensureMoto();
  const [motoPort, redisPort] = (await findFreePorts(2)) as [number, number];
  const children: ChildProcess[] = [];
  const motoServer = motoServerCommand(moto, motoPort);
  children.push(spawn(motoServer.command, motoServer.args, { env: motoServer.env, stdio: 'ignore' }));
  children.push(
    spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    }),
  );
  const close = async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  };
  try {
    const awsUrl = `http://127.0.0.1:${motoPort}`;
    const redisUrl = `redis://127.0.0.1:${redisPort}`;
    await waitFor('moto (python3-moto, see test/sandbox/moto.ts)', async () => (await fetch(`${awsUrl}/moto-api/`)).ok);
    await waitFor('redis-server (apt-get install redis-server)', async () => {
      const probe = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      try {
        await probe.connect();
        return (await probe.ping()) === 'PONG';
      } finally {
        probe.disconnect();
      }
    });
    const aws = createSandboxAwsClients(awsUrl);
    const vpc = await aws.ec2.send(new CreateVpcCommand({ CidrBlock: '10.40.0.0/16' }));
    const vpcId = vpc.Vpc?.VpcId as string;
    const subnets = await Promise.all(
      (['a', 'b'] as const).map((zone, i) =>
        aws.ec2.send(
          new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `10.40.${i}.0/24`, AvailabilityZone: `us-east-1${zone}` }),
        ),
      ),
    );
    return {
      awsUrl,
      redisUrl,
      aws,
      vpcId,
      subnetIds: [subnets[0]?.Subnet?.SubnetId as string, subnets[1]?.Subnet?.SubnetId as string],
      close: async () => {
        destroySandboxAwsClients(aws);
        await close();
      },
    };
  } catch (error) {
    await close();
    throw error;
  }
}

async function waitFor(what: string, probe: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return;
    await sleep(200);
  }
  throw new Error(`${what} did not start within ${START_TIMEOUT_MS / 1000} s`);
}
