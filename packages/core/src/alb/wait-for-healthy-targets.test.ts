import { describe, expect, it } from '@jest/globals';
import { DescribeTargetHealthCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { ManualClock } from '../action/clock.js';
import { waitForHealthyTargets } from './wait-for-healthy-targets.js';

const initial = {
  Target: { Id: 'i-0abc', Port: 32768 },
  TargetHealth: { State: 'initial' as const, Reason: 'Elb.RegistrationInProgress' as const },
};
const healthy = { Target: { Id: 'i-0abc', Port: 32768 }, TargetHealth: { State: 'healthy' as const } };
const failing = {
  Target: { Id: 'i-0def', Port: 32770 },
  TargetHealth: {
    State: 'unhealthy' as const,
    Reason: 'Target.ResponseCodeMismatch' as const,
    Description: 'Health checks failed with these codes: [404]',
  },
};

describe('waitForHealthyTargets', () => {
  it('polls until every group has a healthy target', async () => {
    const client = new ElasticLoadBalancingV2Client({ region: 'us-east-1' });
    const elb = mockClient(client);
    elb
      .on(DescribeTargetHealthCommand, { TargetGroupArn: 'arn:a' })
      .resolvesOnce({ TargetHealthDescriptions: [initial] })
      .resolves({ TargetHealthDescriptions: [healthy] });
    elb
      .on(DescribeTargetHealthCommand, { TargetGroupArn: 'arn:b' })
      .resolves({ TargetHealthDescriptions: [healthy, failing] });
    const clock = new ManualClock();
    const result = await waitForHealthyTargets(client, ['arn:a', 'arn:b'], { clock, pollMs: 5000 });
    expect(result.healthy).toBe(true);
    expect(result.waitedMs).toBe(5000);
    expect(result.groups[1]).toEqual({
      targetGroupArn: 'arn:b',
      healthy: 1,
      notHealthy: [
        'i-0def:32770 unhealthy (Target.ResponseCodeMismatch: Health checks failed with these codes: [404])',
      ],
    });
  });

  it('stops at the timeout and says which targets were not healthy', async () => {
    const client = new ElasticLoadBalancingV2Client({ region: 'us-east-1' });
    const elb = mockClient(client);
    elb.on(DescribeTargetHealthCommand).resolves({ TargetHealthDescriptions: [failing] });
    const clock = new ManualClock();
    const result = await waitForHealthyTargets(client, ['arn:a'], { clock, pollMs: 10_000, timeoutMs: 60_000 });
    expect(result.healthy).toBe(false);
    expect(result.waitedMs).toBeLessThanOrEqual(60_000);
    expect(result.groups[0]?.notHealthy[0]).toMatch(/^i-0def:32770 unhealthy \(Target.ResponseCodeMismatch/);
    expect(elb.commandCalls(DescribeTargetHealthCommand).length).toBe(7);
  });

  it('does not count a draining target (the old task leaving) as healthy, and names it', async () => {
    const draining = {
      Target: { Id: '10.0.1.5', Port: 8080 },
      TargetHealth: {
        State: 'draining' as const,
        Reason: 'Target.DeregistrationInProgress' as const,
        Description: 'Target deregistration is in progress',
      },
    };
    const client = new ElasticLoadBalancingV2Client({ region: 'us-east-1' });
    const elb = mockClient(client);
    elb
      .on(DescribeTargetHealthCommand)
      .resolvesOnce({ TargetHealthDescriptions: [draining, initial] })
      .resolves({ TargetHealthDescriptions: [draining, healthy] });
    const clock = new ManualClock();
    const result = await waitForHealthyTargets(client, ['arn:a'], { clock, pollMs: 5000 });
    expect(result).toMatchObject({ healthy: true, waitedMs: 5000 });
    expect(result.groups[0]?.notHealthy).toEqual([
      '10.0.1.5:8080 draining (Target.DeregistrationInProgress: Target deregistration is in progress)',
    ]);
  });
});
