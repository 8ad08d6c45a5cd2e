import { describe, expect, it } from '@jest/globals';
import {
  DeleteRuleCommand,
  DeleteTargetGroupCommand,
  DescribeRulesCommand,
  DescribeTagsCommand,
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
  ResourceInUseException,
  RuleNotFoundException,
  TargetGroupNotFoundException,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { ManualClock } from '../action/clock.js';
import { createOwnershipTags } from '../preview/ownership-tags.js';
import { deleteRulesOwnedBy, deleteTargetGroupsOwnedBy } from './delete-owned-resources.js';
import { toElbTags } from './elb-tags.js';

const LISTENER =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/previews/0123456789abcdef/fedcba9876543210';
const REPO = 'octo-org/octo-repo';
const ours = (pr: number) => toElbTags(createOwnershipTags({ repo: REPO, pr, service: 'api' }));

/** 45 target groups: every third is PR 7's, the rest belong to PR 8 or to nobody. */
function groups() {
  return Array.from({ length: 45 }, (_, i) => ({
    arn: `arn:tg/${i}`,
    tags: i % 3 === 0 ? ours(7) : i % 3 === 1 ? ours(8) : [{ Key: 'team', Value: 'payments' }],
  }));
}

function setupGroups() {
  const client = new ElasticLoadBalancingV2Client({ region: 'us-east-1' });
  const elb = mockClient(client);
  const all = groups();
  elb.on(DescribeTargetGroupsCommand).resolves({ TargetGroups: all.map((g) => ({ TargetGroupArn: g.arn })) });
  elb.on(DescribeTagsCommand).callsFake(async (input: { ResourceArns: string[] }) => ({
    TagDescriptions: input.ResourceArns.map((arn) => ({
      ResourceArn: arn,
      Tags: all.find((g) => g.arn === arn)?.tags,
    })),
  }));
  return { elb, client };
}

describe('deleteTargetGroupsOwnedBy', () => {
  it("deletes only the PR's groups, reading tags 20 ARNs at a time", async () => {
    const { elb, client } = setupGroups();
    elb.on(DeleteTargetGroupCommand).resolves({});
    const report = await deleteTargetGroupsOwnedBy(client, { repo: REPO, pr: 7 }, { clock: new ManualClock() });
    expect(elb.commandCalls(DescribeTagsCommand).map((c) => c.args[0].input.ResourceArns?.length)).toEqual([20, 20, 5]);
    expect(report.deleted).toEqual(Array.from({ length: 15 }, (_, i) => `arn:tg/${i * 3}`));
    expect(report.failed).toEqual([]);
    expect(
      elb
        .commandCalls(DeleteTargetGroupCommand)
        .map((c) => c.args[0].input.TargetGroupArn)
        .sort(),
    ).toEqual([...report.deleted].sort());
  });

  it('counts a group that is already gone as deleted', async () => {
    const { elb, client } = setupGroups();
    elb.on(DeleteTargetGroupCommand).rejects(new TargetGroupNotFoundException({ message: 'gone', $metadata: {} }));
    const report = await deleteTargetGroupsOwnedBy(client, { repo: REPO, pr: 7 }, { clock: new ManualClock() });
    expect(report.deleted).toHaveLength(15);
    expect(report.failed).toEqual([]);
  });

  it('retries a group still in use a bounded number of times, then reports it', async () => {
    const { elb, client } = setupGroups();
    const inUse = new ResourceInUseException({
      message: 'Target group is currently in use by a listener or a rule',
      $metadata: {},
    });
    elb.on(DeleteTargetGroupCommand).resolves({});
    elb.on(DeleteTargetGroupCommand, { TargetGroupArn: 'arn:tg/0' }).rejectsOnce(inUse).resolves({});
    elb.on(DeleteTargetGroupCommand, { TargetGroupArn: 'arn:tg/3' }).rejects(inUse);
    const clock = new ManualClock();
    const report = await deleteTargetGroupsOwnedBy(
      client,
      { repo: REPO, pr: 7 },
      { clock, maxAttempts: 3, retryDelayMs: 1000 },
    );
    expect(report.deleted).toContain('arn:tg/0');
    expect(report.failed).toEqual([
      { arn: 'arn:tg/3', error: expect.stringMatching(/^ResourceInUseException: Target group is currently in use/) },
    ]);
    expect(elb.commandCalls(DeleteTargetGroupCommand, { TargetGroupArn: 'arn:tg/3' })).toHaveLength(3);
  });

  it('skips groups deleted between the listing and the tag read', async () => {
    const { elb, client } = setupGroups();
    elb.on(DescribeTagsCommand).callsFake(async (input: { ResourceArns: string[] }) => {
      if (input.ResourceArns.includes('arn:tg/6'))
        throw new TargetGroupNotFoundException({ message: 'nf', $metadata: {} });
      return {
        TagDescriptions: input.ResourceArns.map((arn) => ({
          ResourceArn: arn,
          Tags: groups().find((g) => g.arn === arn)?.tags,
        })),
      };
    });
    elb.on(DeleteTargetGroupCommand).resolves({});
    const report = await deleteTargetGroupsOwnedBy(client, { repo: REPO, pr: 7 }, { clock: new ManualClock() });
    expect(report.deleted).toHaveLength(14);
    expect(report.deleted).not.toContain('arn:tg/6');
  });
});

describe('deleteRulesOwnedBy', () => {
  it("deletes the PR's rules, never the default rule or others', and counts a vanished rule as deleted", async () => {
    const client = new ElasticLoadBalancingV2Client({ region: 'us-east-1' });
    const elb = mockClient(client);
    elb.on(DescribeRulesCommand).resolves({
      Rules: [
        { RuleArn: 'arn:rule/default', Priority: 'default', IsDefault: true },
        { RuleArn: 'arn:rule/1', Priority: '1000' },
        { RuleArn: 'arn:rule/2', Priority: '1001' },
        { RuleArn: 'arn:rule/3', Priority: '1002' },
      ],
    });
    elb.on(DescribeTagsCommand).resolves({
      TagDescriptions: [
        { ResourceArn: 'arn:rule/1', Tags: ours(7) },
        { ResourceArn: 'arn:rule/2', Tags: ours(8) },
        { ResourceArn: 'arn:rule/3', Tags: ours(7) },
      ],
    });
    elb.on(DeleteRuleCommand).resolves({});
    elb
      .on(DeleteRuleCommand, { RuleArn: 'arn:rule/3' })
      .rejects(new RuleNotFoundException({ message: 'gone', $metadata: {} }));
    const report = await deleteRulesOwnedBy(client, LISTENER, { repo: REPO, pr: 7 }, { clock: new ManualClock() });
    expect(report).toEqual({ deleted: ['arn:rule/1', 'arn:rule/3'], failed: [] });
    expect(elb.commandCalls(DescribeTagsCommand)[0]?.args[0].input.ResourceArns).toEqual([
      'arn:rule/1',
      'arn:rule/2',
      'arn:rule/3',
    ]);
    expect(elb.commandCalls(DeleteRuleCommand).map((c) => c.args[0].input.RuleArn)).toEqual([
      'arn:rule/1',
      'arn:rule/3',
    ]);
  });
});
