import { describe, expect, it } from '@jest/globals';
import { DescribeAccountLimitsCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { DEFAULT_ALB_QUOTAS, listQuotaProblems, readAlbQuotas } from './check-alb-quotas.js';

describe('ALB quotas', () => {
  it('reads the account limits over every page', async () => {
    const client = new ElasticLoadBalancingV2Client({ region: 'us-east-1' });
    const elb = mockClient(client);
    elb.on(DescribeAccountLimitsCommand).callsFake(async (input: { Marker?: string }) =>
      input.Marker
        ? { Limits: [{ Name: 'target-groups', Max: '5000' }] }
        : {
            Limits: [
              { Name: 'rules-per-application-load-balancer', Max: '200' },
              { Name: 'listeners-per-application-load-balancer', Max: '50' },
            ],
            NextMarker: 'm',
          },
    );
    expect(await readAlbQuotas(client)).toEqual({
      rulesPerLoadBalancer: 200,
      targetGroups: 5000,
      targetGroupsPerLoadBalancer: 100,
    });
  });

  it('falls back to the documented defaults when the limits cannot be read', async () => {
    const client = new ElasticLoadBalancingV2Client({ region: 'us-east-1' });
    const elb = mockClient(client);
    const denied = Object.assign(new Error('not authorized'), { name: 'AccessDenied' });
    elb.on(DescribeAccountLimitsCommand).rejects(denied);
    const warnings: string[] = [];
    const logger = {
      debug() {},
      info() {},
      warning: (m: string) => warnings.push(m),
      error() {},
      group: async <T>(_: string, w: () => Promise<T>) => w(),
    };
    expect(await readAlbQuotas(client, logger)).toEqual(DEFAULT_ALB_QUOTAS);
    expect(warnings).toEqual(['Could not read ELBv2 account limits (AccessDenied); assuming the documented defaults']);
  });

  it('lets a deploy fill a quota exactly', () => {
    const capacity = { quotas: { ...DEFAULT_ALB_QUOTAS }, rules: 98, targetGroups: 10, targetGroupsOnLoadBalancer: 98 };
    expect(listQuotaProblems(capacity, { listenerArn: 'l', newRules: 2, newTargetGroups: 2 })).toEqual([]);
    expect(listQuotaProblems(capacity, { listenerArn: 'l', newRules: 3, newTargetGroups: 3 })).toHaveLength(2);
  });
});
