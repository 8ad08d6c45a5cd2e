import { describe, expect, it } from '@jest/globals';
import {
  AddTagsCommand,
  CreateRuleCommand,
  CreateTargetGroupCommand,
  DescribeAccountLimitsCommand,
  DescribeListenersCommand,
  DescribeRulesCommand,
  DescribeTagsCommand,
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
  TargetGroupNotFoundException,
  type Rule,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { ManualClock } from '../action/clock.js';
import { isConfigurationError } from '../action/errors.js';
import { createOwnershipTags } from '../preview/ownership-tags.js';
import { createForwardActions, createRuleConditions } from './rule-conditions.js';
import { routePreviewServices, type RoutePreviewInput } from './route-preview-services.js';

const LB = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/previews/0123456789abcdef';
const LISTENER =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/previews/0123456789abcdef/fedcba9876543210';
const HTTP_LISTENER = `${LISTENER.slice(0, -4)}0000`;
const OWNER = { repo: 'octo-org/octo-repo', pr: 7 };

function input(): RoutePreviewInput {
  const service = (name: string, path: string) => ({
    service: name,
    port: 8000,
    paths: [path],
    healthCheckPath: `/${name}/health`,
    networkMode: 'bridge' as const,
    tags: createOwnershipTags({ ...OWNER, service: name }),
  });
  return {
    listenerArn: LISTENER,
    vpcId: 'vpc-0123456789abcdef0',
    pr: 7,
    domain: 'preview.example.com',
    priorityRange: { min: 1000, max: 1999 },
    owner: OWNER,
    services: [service('api', '/api/*'), service('admin', '/admin/*')],
  };
}

type TaggedRule = Rule & { Tags?: { Key: string; Value: string }[] };

function someoneElsesRules(count: number, first = 1): TaggedRule[] {
  return Array.from({ length: count }, (_, i) => ({
    RuleArn: `${LISTENER}/rule-${first + i}`,
    Priority: String(first + i),
    Conditions: createRuleConditions(`other-${i}.example.com`, ['/*']),
    Actions: createForwardActions('arn:tg'),
  }));
}

function setup(options: { rulesOnHttps: number; rulesOnHttp: number; limits?: { Name: string; Max: string }[] }) {
  const client = new ElasticLoadBalancingV2Client({ region: 'us-east-1' });
  const elb = mockClient(client);
  elb
    .on(DescribeTargetGroupsCommand, { Names: ['pr-7-api'] })
    .rejects(new TargetGroupNotFoundException({ message: 'nf', $metadata: {} }));
  elb
    .on(DescribeTargetGroupsCommand, { Names: ['pr-7-admin'] })
    .rejects(new TargetGroupNotFoundException({ message: 'nf', $metadata: {} }));
  elb
    .on(DescribeTargetGroupsCommand, { LoadBalancerArn: LB })
    .resolves({ TargetGroups: [{ TargetGroupArn: 'arn:tg' }] });
  elb
    .on(DescribeTargetGroupsCommand, { Names: undefined, LoadBalancerArn: undefined })
    .resolves({ TargetGroups: [{ TargetGroupArn: 'arn:tg' }] });
  elb
    .on(DescribeListenersCommand, { ListenerArns: [LISTENER] })
    .resolves({ Listeners: [{ ListenerArn: LISTENER, LoadBalancerArn: LB }] });
  elb
    .on(DescribeListenersCommand, { LoadBalancerArn: LB })
    .resolves({ Listeners: [{ ListenerArn: LISTENER }, { ListenerArn: HTTP_LISTENER }] });
  const httpsRules = someoneElsesRules(options.rulesOnHttps);
  elb.on(DescribeRulesCommand, { ListenerArn: LISTENER }).callsFake(async () => ({ Rules: [...httpsRules] }));
  elb
    .on(DescribeRulesCommand, { ListenerArn: HTTP_LISTENER })
    .resolves({ Rules: someoneElsesRules(options.rulesOnHttp, 500) });
  elb.on(DescribeAccountLimitsCommand).resolves({ Limits: options.limits ?? [] });
  elb
    .on(CreateTargetGroupCommand)
    .callsFake(async (i: { Name: string }) => ({ TargetGroups: [{ TargetGroupArn: `arn:tg/${i.Name}` }] }));
  elb
    .on(CreateRuleCommand)
    .callsFake(async (i: Rule & { Priority: number; Tags?: { Key: string; Value: string }[] }) => {
      const created = { ...i, RuleArn: `arn:rule/${i.Priority}`, Priority: String(i.Priority) };
      httpsRules.push(created);
      return { Rules: [created] };
    });
  elb.on(DescribeTagsCommand).callsFake(async (i: { ResourceArns: string[] }) => ({
    TagDescriptions: i.ResourceArns.map((arn) => ({
      ResourceArn: arn,
      Tags: httpsRules.find((r) => r.RuleArn === arn)?.Tags ?? [],
    })),
  }));
  elb.on(AddTagsCommand).resolves({});
  return { elb, client };
}

describe('routePreviewServices', () => {
  it('creates a target group and a rule per service, priorities in service order', async () => {
    const { elb, client } = setup({ rulesOnHttps: 3, rulesOnHttp: 1 });
    const routing = await routePreviewServices(client, input(), { clock: new ManualClock() });
    expect(routing.host).toBe('pr-7.preview.example.com');
    expect(routing.services.map((s) => [s.service, s.targetGroup.name, s.rule.priority, s.rule.action])).toEqual([
      ['api', 'pr-7-api', 1000, 'created'],
      ['admin', 'pr-7-admin', 1001, 'created'],
    ]);
    expect(routing.capacity).toEqual({
      quotas: { rulesPerLoadBalancer: 100, targetGroups: 3000, targetGroupsPerLoadBalancer: 100 },
      rules: 4,
      targetGroups: 1,
      targetGroupsOnLoadBalancer: 1,
    });
    expect(elb.commandCalls(CreateRuleCommand)[1]?.args[0].input.Actions).toEqual(
      createForwardActions('arn:tg/pr-7-admin'),
    );
  });

  it('counts rules across all listeners of the load balancer and creates nothing when the quota would be exceeded', async () => {
    const { elb, client } = setup({ rulesOnHttps: 97, rulesOnHttp: 2 });
    const error = await routePreviewServices(client, input(), { clock: new ManualClock() }).catch((e: unknown) => e);
    expect(isConfigurationError(error)).toBe(true);
    expect((error as Error).message).toMatch(/has 99 of 100 rules and this preview needs 2 more/);
    expect(elb.commandCalls(CreateTargetGroupCommand)).toHaveLength(0);
    expect(elb.commandCalls(CreateRuleCommand)).toHaveLength(0);
    expect(elb.commandCalls(AddTagsCommand)).toHaveLength(0);
  });

  it('uses the quota the account reports instead of the default', async () => {
    const { elb, client } = setup({ rulesOnHttps: 3, rulesOnHttp: 0, limits: [{ Name: 'target-groups', Max: '2' }] });
    await expect(routePreviewServices(client, input(), { clock: new ManualClock() })).rejects.toThrow(
      /region has 1 of 2 target groups and this preview needs 2 more/,
    );
    expect(elb.commandCalls(CreateTargetGroupCommand)).toHaveLength(0);
  });

  it('refuses a foreign target group before creating anything', async () => {
    const { elb, client } = setup({ rulesOnHttps: 0, rulesOnHttp: 0 });
    elb
      .on(DescribeTargetGroupsCommand, { Names: ['pr-7-admin'] })
      .resolves({ TargetGroups: [{ TargetGroupArn: 'arn:foreign', TargetGroupName: 'pr-7-admin' }] });
    elb
      .on(DescribeTagsCommand)
      .resolves({ TagDescriptions: [{ ResourceArn: 'arn:foreign', Tags: [{ Key: 'team', Value: 'payments' }] }] });
    await expect(routePreviewServices(client, input(), { clock: new ManualClock() })).rejects.toThrow(
      /^Target group pr-7-admin already exists and is not tagged/,
    );
    expect(elb.commandCalls(CreateTargetGroupCommand)).toHaveLength(0);
    expect(elb.commandCalls(CreateRuleCommand)).toHaveLength(0);
  });
});
