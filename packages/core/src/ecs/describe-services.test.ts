import { describe, expect, it } from '@jest/globals';
import { DescribeServicesCommand, ECSClient, type Service } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { describeServicesBatched } from './describe-services.js';

const ARN = 'arn:aws:ecs:us-east-1:123456789012:service/c1';

function service(name: string, status = 'ACTIVE'): Service {
  return { serviceName: name, serviceArn: `${ARN}/${name}`, status, tags: [{ key: 'k', value: name }] };
}

describe('describeServicesBatched', () => {
  it('asks for at most ten services per call, includes tags, and keeps the input order', async () => {
    const client = new ECSClient({ region: 'us-east-1' });
    const ecs = mockClient(client);
    ecs.on(DescribeServicesCommand).callsFake(async (input: { services: string[] }) => ({
      services: input.services.map((n) => service(n)),
    }));
    const names = Array.from({ length: 23 }, (_, i) => `svc-${i}`);

    const result = await describeServicesBatched(client, 'c1', names);

    const calls = ecs.commandCalls(DescribeServicesCommand);
    expect(calls.map((c) => c.args[0].input.services?.length)).toEqual([10, 10, 3]);
    expect(calls.every((c) => c.args[0].input.include?.includes('TAGS') && c.args[0].input.cluster === 'c1')).toBe(
      true,
    );
    expect(result.map((d) => d.name)).toEqual(names);
    expect(result[4]).toMatchObject({ status: 'ACTIVE', tags: { k: 'svc-4' } });
  });

  it('maps MISSING failures to status MISSING and keeps INACTIVE and DRAINING as ECS says', async () => {
    const client = new ECSClient({ region: 'us-east-1' });
    const ecs = mockClient(client);
    ecs.on(DescribeServicesCommand).resolves({
      services: [service('old', 'INACTIVE'), service('going', 'DRAINING')],
      failures: [{ arn: `${ARN}/gone`, reason: 'MISSING' }],
    });

    const result = await describeServicesBatched(client, 'c1', ['gone', 'old', 'going']);

    expect(result.map((d) => [d.name, d.status])).toEqual([
      ['gone', 'MISSING'],
      ['old', 'INACTIVE'],
      ['going', 'DRAINING'],
    ]);
    expect(result[0]?.service).toBeUndefined();
  });

  it('runs batches in parallel, up to the concurrency', async () => {
    const client = new ECSClient({ region: 'us-east-1' });
    const ecs = mockClient(client);
    let inFlight = 0;
    let peak = 0;
    ecs.on(DescribeServicesCommand).callsFake(async (input: { services: string[] }) => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight--;
      return { services: input.services.map((n) => service(n)) };
    });

    await describeServicesBatched(
      client,
      'c1',
      Array.from({ length: 40 }, (_, i) => `s${i}`),
      { concurrency: 3 },
    );

    expect(ecs.commandCalls(DescribeServicesCommand)).toHaveLength(4);
    expect(peak).toBe(3);
  });

  it('accepts ARNs as input and reports names', async () => {
    const client = new ECSClient({ region: 'us-east-1' });
    const ecs = mockClient(client);
    ecs.on(DescribeServicesCommand).resolves({ services: [service('api')] });

    const [only] = await describeServicesBatched(client, 'c1', [`${ARN}/api`]);

    expect(only).toMatchObject({ name: 'api', status: 'ACTIVE' });
  });

  it('throws on a failure other than MISSING, naming the service and reason', async () => {
    const client = new ECSClient({ region: 'us-east-1' });
    const ecs = mockClient(client);
    ecs
      .on(DescribeServicesCommand)
      .resolves({ failures: [{ arn: `${ARN}/api`, reason: 'ACCESS_DENIED', detail: 'nope' }] });

    await expect(describeServicesBatched(client, 'c1', ['api'])).rejects.toThrow(
      /c1: .*service\/c1\/api: ACCESS_DENIED \(nope\)/,
    );
  });

  it('asks once for a name given twice and makes no call for an empty list', async () => {
    const client = new ECSClient({ region: 'us-east-1' });
    const ecs = mockClient(client);
    ecs.on(DescribeServicesCommand).resolves({ services: [service('api')] });

    const twice = await describeServicesBatched(client, 'c1', ['api', 'api']);
    const none = await describeServicesBatched(client, 'c1', []);

    expect(twice).toHaveLength(2);
    expect(ecs.commandCalls(DescribeServicesCommand)[0]?.args[0].input.services).toEqual(['api']);
    expect(ecs.commandCalls(DescribeServicesCommand)).toHaveLength(1);
    expect(none).toEqual([]);
  });
});
