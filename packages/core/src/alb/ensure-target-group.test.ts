import { describe, expect, it } from '@jest/globals';
import {
  AddTagsCommand,
  CreateTargetGroupCommand,
  DescribeTagsCommand,
  DescribeTargetGroupsCommand,
  DuplicateTargetGroupNameException,
  ElasticLoadBalancingV2Client,
  ModifyTargetGroupCommand,
  TargetGroupNotFoundException,
  type TargetGroup,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { isConfigurationError } from '../action/errors.js';
import { createOwnershipTags } from '../preview/ownership-tags.js';
import { ensureTargetGroup, type TargetGroupSpec } from './ensure-target-group.js';

const OWNER = { repo: 'octo-org/octo-repo', pr: 7 };
const TAGS = createOwnershipTags({ ...OWNER, service: 'api' });
const ARN = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/pr-7-api/aaaa';
const VPC = 'vpc-0123456789abcdef0';

function spec(over: Partial<TargetGroupSpec> = {}): TargetGroupSpec {
  return {
    name: 'pr-7-api',
    port: 8000,
    vpcId: VPC,
    networkMode: 'bridge',
    healthCheckPath: '/api/health',
    tags: TAGS,
    owner: OWNER,
    ...over,
  };
}

function existing(over: Partial<TargetGroup> = {}): TargetGroup {
  return {
    TargetGroupArn: ARN,
    TargetGroupName: 'pr-7-api',
    Protocol: 'HTTP',
    Port: 8000,
    VpcId: VPC,
    TargetType: 'instance',
    HealthCheckPath: '/api/health',
    ...over,
  };
}

function setup(tags: Record<string, string> | undefined, group?: TargetGroup) {
  const client = new ElasticLoadBalancingV2Client({ region: 'us-east-1' });
  const elb = mockClient(client);
  if (group) elb.on(DescribeTargetGroupsCommand).resolves({ TargetGroups: [group] });
  else
    elb
      .on(DescribeTargetGroupsCommand)
      .rejects(new TargetGroupNotFoundException({ message: 'One or more target groups not found', $metadata: {} }));
  elb.on(DescribeTagsCommand).resolves({
    TagDescriptions: [{ ResourceArn: ARN, Tags: Object.entries(tags ?? {}).map(([Key, Value]) => ({ Key, Value })) }],
  });
  elb.on(CreateTargetGroupCommand).resolves({ TargetGroups: [{ TargetGroupArn: ARN }] });
  elb.on(AddTagsCommand).resolves({});
  elb.on(ModifyTargetGroupCommand).resolves({});
  return { elb, client };
}

describe('ensureTargetGroup', () => {
  it('creates a missing group: HTTP, instance targets under bridge, health-check path, ownership tags', async () => {
    const { elb, client } = setup(undefined);
    expect(await ensureTargetGroup(client, spec())).toEqual({ arn: ARN, name: 'pr-7-api', action: 'created' });
    expect(elb.commandCalls(CreateTargetGroupCommand)[0]?.args[0].input).toEqual({
      Name: 'pr-7-api',
      Protocol: 'HTTP',
      Port: 8000,
      VpcId: VPC,
      TargetType: 'instance',
      HealthCheckProtocol: 'HTTP',
      HealthCheckPath: '/api/health',
      Matcher: { HttpCode: '200-399' },
      Tags: expect.arrayContaining([
        { Key: 'preview-actions:managed', Value: 'true' },
        { Key: 'preview-actions:service', Value: 'api' },
      ]),
    });
  });

  it('uses ip targets under awsvpc', async () => {
    const { elb, client } = setup(undefined);
    await ensureTargetGroup(client, spec({ networkMode: 'awsvpc' }));
    expect(elb.commandCalls(CreateTargetGroupCommand)[0]?.args[0].input.TargetType).toBe('ip');
  });

  it('reuses our group, refreshing its tags', async () => {
    const { elb, client } = setup(TAGS, existing());
    expect(await ensureTargetGroup(client, spec())).toEqual({ arn: ARN, name: 'pr-7-api', action: 'unchanged' });
    expect(elb.commandCalls(CreateTargetGroupCommand)).toHaveLength(0);
    expect(elb.commandCalls(ModifyTargetGroupCommand)).toHaveLength(0);
    expect(elb.commandCalls(AddTagsCommand)[0]?.args[0].input.ResourceArns).toEqual([ARN]);
  });

  it('moves the health check of our group to the new path', async () => {
    const { elb, client } = setup(TAGS, existing({ HealthCheckPath: '/' }));
    expect((await ensureTargetGroup(client, spec())).action).toBe('updated');
    expect(elb.commandCalls(ModifyTargetGroupCommand)[0]?.args[0].input).toEqual({
      TargetGroupArn: ARN,
      HealthCheckPath: '/api/health',
    });
  });

  it.each([
    ['untagged', {}],
    ['another repository', createOwnershipTags({ repo: 'someone/else', pr: 7 })],
    ['another PR', createOwnershipTags({ repo: OWNER.repo, pr: 8 })],
  ])('refuses a same-named group that is %s and changes nothing', async (_, tags) => {
    const { elb, client } = setup(tags, existing());
    const error = await ensureTargetGroup(client, spec()).catch((e: unknown) => e);
    expect(isConfigurationError(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /^Target group pr-7-api already exists and is not tagged as octo-org\/octo-repo PR 7's preview/,
    );
    expect(elb.commandCalls(AddTagsCommand)).toHaveLength(0);
    expect(elb.commandCalls(ModifyTargetGroupCommand)).toHaveLength(0);
    expect(elb.commandCalls(CreateTargetGroupCommand)).toHaveLength(0);
  });

  it('refuses to reuse our group for another network mode', async () => {
    const { client } = setup(TAGS, existing({ TargetType: 'instance' }));
    await expect(ensureTargetGroup(client, spec({ networkMode: 'awsvpc' }))).rejects.toThrow(
      /cannot be changed to ip targets.*before changing network-mode/,
    );
  });

  it('checks ownership of a group another run created at the same moment', async () => {
    const client = new ElasticLoadBalancingV2Client({ region: 'us-east-1' });
    const elb = mockClient(client);
    elb
      .on(DescribeTargetGroupsCommand)
      .rejectsOnce(new TargetGroupNotFoundException({ message: 'not found', $metadata: {} }))
      .resolves({ TargetGroups: [existing()] });
    elb
      .on(CreateTargetGroupCommand)
      .rejects(new DuplicateTargetGroupNameException({ message: 'exists', $metadata: {} }));
    elb.on(DescribeTagsCommand).resolves({ TagDescriptions: [{ ResourceArn: ARN, Tags: [] }] });
    await expect(ensureTargetGroup(client, spec())).rejects.toThrow(/is not tagged/);
  });
});
