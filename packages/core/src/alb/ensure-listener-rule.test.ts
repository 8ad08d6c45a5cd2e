import { describe, expect, it } from '@jest/globals';
import {
  AddTagsCommand,
  CreateRuleCommand,
  DescribeRulesCommand,
  DescribeTagsCommand,
  ElasticLoadBalancingV2Client,
  ModifyRuleCommand,
  PriorityInUseException,
  type Rule,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { ManualClock } from '../action/clock.js';
import { isConfigurationError } from '../action/errors.js';
import { createOwnershipTags } from '../preview/ownership-tags.js';
import { ensureListenerRule, type ListenerRuleSpec } from './ensure-listener-rule.js';
import { createForwardActions, createRuleConditions } from './rule-conditions.js';

const LISTENER =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/previews/0123456789abcdef/fedcba9876543210';
const TG = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/pr-7-api/aaaa';
const OTHER_TG = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/pr-7-api-old/bbbb';
const HOST = 'pr-7.preview.example.com';
const OWNER = { repo: 'octo-org/octo-repo', pr: 7 };
const TAGS = createOwnershipTags({ ...OWNER, service: 'api' });

function spec(over: Partial<ListenerRuleSpec> = {}): ListenerRuleSpec {
  return {
    listenerArn: LISTENER,
    host: HOST,
    paths: ['/api/*'],
    service: 'api',
    targetGroupArn: TG,
    priorityRange: { min: 1000, max: 1999 },
    tags: TAGS,
    owner: OWNER,
    ...over,
  };
}

function rule(priority: number, host = `pr-${priority}.preview.example.com`, paths = ['/*'], target = OTHER_TG): Rule {
  return {
    RuleArn: `${LISTENER.replace(':listener/', ':listener-rule/')}/r${priority}`,
    Priority: String(priority),
    IsDefault: false,
    Conditions: createRuleConditions(host, paths),
    Actions: createForwardActions(target),
  };
}

const DEFAULT_RULE: Rule = {
  RuleArn: `${LISTENER}/default`,
  Priority: 'default',
  IsDefault: true,
  Conditions: [],
  Actions: [],
};

function tagsFor(rules: Rule[], tags: Record<string, string>) {
  return {
    TagDescriptions: rules.map((r) => ({
      ResourceArn: r.RuleArn,
      Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
    })),
  };
}

function setup() {
  const client = new ElasticLoadBalancingV2Client({ region: 'us-east-1' });
  const elb = mockClient(client);
  elb.on(AddTagsCommand).resolves({});
  return { elb, client, clock: new ManualClock() };
}

function sent<T>(elb: ReturnType<typeof setup>['elb'], command: new (...args: never[]) => T) {
  return elb.commandCalls(command as never).map((c) => c.args[0].input as Record<string, unknown>);
}

describe('ensureListenerRule', () => {
  it('reuses the rule with the same host and paths and leaves it alone when it already forwards right', async () => {
    const { elb, client, clock } = setup();
    const mine = rule(1005, HOST, ['/api/*'], TG);
    elb.on(DescribeRulesCommand).resolves({ Rules: [DEFAULT_RULE, rule(1000), mine] });
    elb.on(DescribeTagsCommand).resolves(tagsFor([mine], TAGS));
    const result = await ensureListenerRule(client, spec(), { clock });
    expect(result).toEqual({ arn: mine.RuleArn, priority: 1005, action: 'unchanged' });
    expect(sent(elb, CreateRuleCommand)).toHaveLength(0);
    expect(sent(elb, ModifyRuleCommand)).toHaveLength(0);
    expect(sent(elb, AddTagsCommand)).toEqual([
      { ResourceArns: [mine.RuleArn], Tags: expect.arrayContaining([{ Key: 'preview-actions:pr', Value: '7' }]) },
    ]);
  });

  it('points a reused rule at the new target group', async () => {
    const { elb, client, clock } = setup();
    const mine = rule(1005, HOST, ['/api/*'], OTHER_TG);
    elb.on(DescribeRulesCommand).resolves({ Rules: [mine] });
    elb.on(DescribeTagsCommand).resolves(tagsFor([mine], TAGS));
    elb.on(ModifyRuleCommand).resolves({});
    const result = await ensureListenerRule(client, spec(), { clock });
    expect(result.action).toBe('updated');
    expect(sent(elb, ModifyRuleCommand)[0]).toMatchObject({
      RuleArn: mine.RuleArn,
      Actions: [{ Type: 'forward', TargetGroupArn: TG }],
    });
  });

  it("updates this PR's rule for the service when its paths changed, keeping its priority", async () => {
    const { elb, client, clock } = setup();
    const old = rule(1003, HOST, ['/v1/*'], TG);
    elb.on(DescribeRulesCommand).resolves({ Rules: [old] });
    elb.on(DescribeTagsCommand).resolves(tagsFor([old], TAGS));
    elb.on(ModifyRuleCommand).resolves({});
    const result = await ensureListenerRule(client, spec({ paths: ['/api/*', '/v2/*'] }), { clock });
    expect(result).toEqual({ arn: old.RuleArn, priority: 1003, action: 'updated' });
    expect(sent(elb, ModifyRuleCommand)[0]?.Conditions).toEqual(createRuleConditions(HOST, ['/api/*', '/v2/*']));
    expect(sent(elb, CreateRuleCommand)).toHaveLength(0);
  });

  it('refuses a rule with the same host and paths that is not ours', async () => {
    const { elb, client, clock } = setup();
    const foreign = rule(1001, HOST, ['/api/*'], OTHER_TG);
    elb.on(DescribeRulesCommand).resolves({ Rules: [foreign] });
    elb.on(DescribeTagsCommand).resolves(tagsFor([foreign], createOwnershipTags({ repo: 'someone/else', pr: 7 })));
    const error = await ensureListenerRule(client, spec(), { clock }).catch((e: unknown) => e);
    expect(isConfigurationError(error)).toBe(true);
    expect((error as Error).message).toMatch(/already routes pr-7\.preview\.example\.com \/api\/\* and is not tagged/);
    expect(sent(elb, CreateRuleCommand)).toHaveLength(0);
    expect(sent(elb, ModifyRuleCommand)).toHaveLength(0);
  });

  it('takes the lowest free priority, reading every page of rules', async () => {
    const { elb, client, clock } = setup();
    const markers: (string | undefined)[] = [];
    elb.on(DescribeRulesCommand).callsFake(async (input: { ListenerArn: string; Marker?: string }) => {
      markers.push(input.Marker);
      expect(input.ListenerArn).toBe(LISTENER);
      return input.Marker === 'page-2'
        ? { Rules: [rule(1002), rule(1004), rule(5)] }
        : { Rules: [DEFAULT_RULE, rule(1000), rule(1001)], NextMarker: 'page-2' };
    });
    elb.on(CreateRuleCommand).resolves({ Rules: [{ RuleArn: 'arn:new' }] });
    const result = await ensureListenerRule(client, spec(), { clock });
    expect(result).toEqual({ arn: 'arn:new', priority: 1003, action: 'created' });
    expect(markers).toEqual([undefined, 'page-2']);
    expect(sent(elb, DescribeTagsCommand)).toHaveLength(0);
    expect(sent(elb, CreateRuleCommand)[0]).toEqual({
      ListenerArn: LISTENER,
      Priority: 1003,
      Conditions: createRuleConditions(HOST, ['/api/*']),
      Actions: createForwardActions(TG),
      Tags: expect.arrayContaining([{ Key: 'preview-actions:service', Value: 'api' }]),
    });
  });

  it('re-reads the rules and takes the next free priority after PriorityInUse', async () => {
    const { elb, client, clock } = setup();
    elb
      .on(DescribeRulesCommand)
      .resolvesOnce({ Rules: [rule(1000)] })
      .resolves({ Rules: [rule(1000), rule(1001, 'pr-99.preview.example.com')] });
    elb
      .on(CreateRuleCommand)
      .rejectsOnce(new PriorityInUseException({ message: 'Priority 1001 is currently in use', $metadata: {} }))
      .resolves({ Rules: [{ RuleArn: 'arn:new' }] });
    const before = clock.now().getTime();
    const result = await ensureListenerRule(client, spec(), { clock, retryDelayMs: 300 });
    expect(result.priority).toBe(1002);
    expect(sent(elb, CreateRuleCommand).map((i) => i.Priority)).toEqual([1001, 1002]);
    expect(sent(elb, DescribeRulesCommand)).toHaveLength(2);
    expect(clock.now().getTime() - before).toBe(300);
  });

  it('gives up after a bounded number of PriorityInUse answers', async () => {
    const { elb, client, clock } = setup();
    elb.on(DescribeRulesCommand).resolves({ Rules: [] });
    elb.on(CreateRuleCommand).rejects(new PriorityInUseException({ message: 'in use', $metadata: {} }));
    await expect(ensureListenerRule(client, spec(), { clock, maxAttempts: 3 })).rejects.toThrow(
      /taken by other deploys 3 times in a row/,
    );
    expect(sent(elb, CreateRuleCommand)).toHaveLength(3);
  });

  it('fails with a ConfigurationError when the priority range is full', async () => {
    const { elb, client, clock } = setup();
    elb.on(DescribeRulesCommand).resolves({ Rules: [rule(10), rule(11), rule(12)] });
    const error = await ensureListenerRule(client, spec({ priorityRange: { min: 10, max: 12 } }), { clock }).catch(
      (e: unknown) => e,
    );
    expect(isConfigurationError(error)).toBe(true);
    expect((error as Error).message).toMatch(/no free rule priority in 10-12; widen priority-range/);
    expect(sent(elb, CreateRuleCommand)).toHaveLength(0);
  });
});
