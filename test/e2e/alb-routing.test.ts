import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  CreateRuleCommand,
  CreateTargetGroupCommand,
  DeleteRuleCommand,
  DeleteTargetGroupCommand,
  DescribeRulesCommand,
  DescribeTagsCommand,
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
  type Rule,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { ManualClock, isConfigurationError } from '@preview-actions/core/action';
import {
  deleteRulesOwnedBy,
  deleteTargetGroupsOwnedBy,
  createForwardActions,
  createRuleConditions,
  fromElbTags,
  isElbNotFound,
  isPriorityInUse,
  isResourceInUse,
  listListenerRules,
  readRuleHosts,
  readRulePaths,
  routePreviewServices,
  waitForHealthyTargets,
  type RoutePreviewInput,
} from '@preview-actions/core/alb';
import {
  createOwnershipTags,
  createTargetGroupName,
  parseEnvironmentFile,
  type PreviewEnvironmentConfig,
} from '@preview-actions/core/preview';
import { ensureSandbox } from '../sandbox/ensure.js';
import type { SandboxEndpoints } from '../sandbox/endpoints.js';

// moto is shared by every e2e file, so each run works under its own repository, PR numbers and priority range.
const repo = `e2e-alb/run-${process.pid}-${Date.now()}`;
const basePr = 8000 + ((process.pid * 7) % 900) * 10;
const rangeStart = 20000 + ((process.pid * 13) % 2500) * 10;
const priorityRange = { min: rangeStart, max: rangeStart + 9 };

let elb: ElasticLoadBalancingV2Client;
let sandbox: SandboxEndpoints;
let config: PreviewEnvironmentConfig;

/** Straight to moto: fault-proxy rules are global and belong to the tests that set them. */
function connectElb(): ElasticLoadBalancingV2Client {
  return new ElasticLoadBalancingV2Client({
    endpoint: sandbox.aws.directUrl,
    region: sandbox.aws.region,
    credentials: { accessKeyId: sandbox.aws.accessKeyId, secretAccessKey: sandbox.aws.secretAccessKey },
    maxAttempts: 2,
  });
}

beforeAll(async () => {
  sandbox = await ensureSandbox();
  elb = connectElb();
  const seeded = sandbox.seeded;
  config = parseEnvironmentFile(
    [
      `domain: ${seeded.loadBalancer.domain}`,
      `cluster: ${seeded.clusters.previews}`,
      `listener-arn: ${seeded.loadBalancer.httpsListenerArn}`,
      `vpc-id: ${seeded.vpcId}`,
      `priority-range: ${priorityRange.min}-${priorityRange.max}`,
      `image-repository: ${seeded.ecrRepositories.api}`,
      'services:',
      '  - { name: api, port: 8000, paths: ["/api/*"], health-check-path: /api/health }',
      '  - { name: admin, port: 8000, paths: ["/admin/*"], health-check-path: /admin/health }',
      '  - { name: celery-default, command: ["./run_celery.sh", "default"] }',
    ].join('\n'),
    '.github/preview.yml',
  );
}, 16 * 60_000);

afterAll(async () => {
  if (!elb) return;
  const clock = new ManualClock();
  await deleteRulesOwnedBy(elb, sandbox.seeded.loadBalancer.httpsListenerArn, { repo }, { clock });
  await deleteTargetGroupsOwnedBy(elb, { repo }, { clock, retryDelayMs: 100 });
  elb.destroy();
});

function routeInput(pr: number): RoutePreviewInput {
  return {
    listenerArn: config.listenerArn,
    vpcId: config.vpcId,
    pr,
    domain: config.domain,
    priorityRange: config.priorityRange,
    owner: { repo, pr },
    services: config.services
      .filter((s) => s.paths.length)
      .map((s) => ({
        service: s.name,
        port: s.port as number,
        paths: s.paths,
        healthCheckPath: s.healthCheckPath as string,
        networkMode: s.networkMode,
        tags: createOwnershipTags({ repo, pr, service: s.name }),
      })),
  };
}

/** A target group named like a preview's but made by someone else: no ownership tags. */
async function createUntaggedTargetGroup(pr: number, service: string) {
  return elb.send(
    new CreateTargetGroupCommand({
      Name: createTargetGroupName(pr, service),
      Protocol: 'HTTP',
      Port: 80,
      VpcId: config.vpcId,
    }),
  );
}

async function rulesOf(host: string): Promise<Rule[]> {
  return (await listListenerRules(elb, config.listenerArn)).filter((r) => readRuleHosts(r).includes(host));
}

describe('ALB routing against moto', () => {
  const pr = basePr + 1;

  it('creates one tagged target group and one host+path rule per routed service', async () => {
    const routing = await routePreviewServices(elb, routeInput(pr), { clock: new ManualClock() });
    const host = `pr-${pr}.${config.domain}`;
    expect(routing.host).toBe(host);
    expect(routing.services.map((s) => [s.service, s.targetGroup.action, s.rule.action])).toEqual([
      ['api', 'created', 'created'],
      ['admin', 'created', 'created'],
    ]);
    expect(routing.capacity?.quotas.rulesPerLoadBalancer).toBeGreaterThan(0);

    const groups = await elb.send(
      new DescribeTargetGroupsCommand({
        Names: [createTargetGroupName(pr, 'api'), createTargetGroupName(pr, 'admin')],
      }),
    );
    expect(
      groups.TargetGroups?.map((g) => [
        g.TargetGroupName,
        g.Protocol,
        g.Port,
        g.TargetType,
        g.HealthCheckPath,
        g.VpcId,
      ]).sort(),
    ).toEqual([
      [`pr-${pr}-admin`, 'HTTP', 8000, 'instance', '/admin/health', config.vpcId],
      [`pr-${pr}-api`, 'HTTP', 8000, 'instance', '/api/health', config.vpcId],
    ]);
    const tags = await elb.send(
      new DescribeTagsCommand({ ResourceArns: routing.services.map((s) => s.targetGroup.arn) }),
    );
    for (const description of tags.TagDescriptions ?? []) {
      expect(fromElbTags(description.Tags)).toMatchObject({
        'preview-actions:managed': 'true',
        'preview-actions:repo': repo,
        'preview-actions:pr': String(pr),
      });
    }

    const rules = await rulesOf(host);
    expect(rules.map((r) => [Number(r.Priority), readRulePaths(r)]).sort()).toEqual([
      [routing.services[0]?.rule.priority, ['/api/*']],
      [routing.services[1]?.rule.priority, ['/admin/*']],
    ]);
    for (const rule of rules) {
      expect(Number(rule.Priority)).toBeGreaterThanOrEqual(priorityRange.min);
      expect(Number(rule.Priority)).toBeLessThanOrEqual(priorityRange.max);
    }
    const ruleTags = await elb.send(new DescribeTagsCommand({ ResourceArns: rules.map((r) => r.RuleArn as string) }));
    expect(ruleTags.TagDescriptions?.map((d) => fromElbTags(d.Tags)['preview-actions:service']).sort()).toEqual([
      'admin',
      'api',
    ]);
  });

  it('reuses everything on a second deploy of the same PR', async () => {
    const before = (await rulesOf(`pr-${pr}.${config.domain}`)).map((r) => r.RuleArn).sort();
    const routing = await routePreviewServices(elb, routeInput(pr), { clock: new ManualClock() });
    expect(routing.services.map((s) => [s.targetGroup.action, s.rule.action])).toEqual([
      ['unchanged', 'unchanged'],
      ['unchanged', 'unchanged'],
    ]);
    expect(routing.capacity).toBeUndefined();
    expect((await rulesOf(routing.host)).map((r) => r.RuleArn).sort()).toEqual(before);
  });

  it('gives two PRs deploying at once different priorities', async () => {
    const [a, b] = await Promise.all([
      routePreviewServices(elb, routeInput(basePr + 2), { clock: new ManualClock() }),
      routePreviewServices(elb, routeInput(basePr + 3), { clock: new ManualClock() }),
    ]);
    const priorities = [...a.services, ...b.services].map((s) => s.rule.priority);
    expect(new Set(priorities).size).toBe(4);
    const all = (await listListenerRules(elb, config.listenerArn)).map((r) => r.Priority);
    expect(new Set(all).size).toBe(all.length);
  });

  it('retries with a fresh read when a rival takes the chosen priority first', async () => {
    const rivalPr = basePr + 6;
    const racing = connectElb();
    let stolen: number | undefined;
    racing.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { Priority?: number };
        if (context.commandName === 'CreateRuleCommand' && stolen === undefined && input.Priority !== undefined) {
          stolen = input.Priority;
          await elb.send(
            new CreateRuleCommand({
              ListenerArn: config.listenerArn,
              Priority: stolen,
              Conditions: createRuleConditions(`rival-${rivalPr}.${config.domain}`, ['/*']),
              Actions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '204' } }],
              Tags: [
                { Key: 'preview-actions:managed', Value: 'true' },
                { Key: 'preview-actions:repo', Value: repo },
                { Key: 'preview-actions:pr', Value: String(rivalPr) },
              ],
            }),
          );
        }
        return next(args);
      },
      { step: 'initialize', name: 'takePriorityFirst' },
    );
    const retries: string[] = [];
    const logger = {
      debug() {},
      info: (m: string) => retries.push(m),
      warning() {},
      error() {},
      group: async <T>(_: string, w: () => Promise<T>) => w(),
    };
    try {
      const routing = await routePreviewServices(racing, routeInput(rivalPr), { clock: new ManualClock(), logger });
      expect(stolen).toBeDefined();
      expect(retries.some((m) => m.startsWith(`Priority ${stolen} was taken meanwhile`))).toBe(true);
      expect(routing.services.map((s) => s.rule.priority)).not.toContain(stolen);
      expect(routing.services.map((s) => s.rule.action)).toEqual(['created', 'created']);
    } finally {
      racing.destroy();
    }
  });

  it('refuses a target group of the same name that is not ours, creating nothing', async () => {
    const foreignPr = basePr + 4;
    const foreign = await createUntaggedTargetGroup(foreignPr, 'admin');
    const error = await routePreviewServices(elb, routeInput(foreignPr), { clock: new ManualClock() })
      .catch((e: unknown) => e)
      .finally(() =>
        elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: foreign.TargetGroups?.[0]?.TargetGroupArn })),
      );
    expect(isConfigurationError(error)).toBe(true);
    expect((error as Error).message).toMatch(
      new RegExp(`^Target group pr-${foreignPr}-admin already exists and is not tagged`),
    );
    await expect(
      elb.send(new DescribeTargetGroupsCommand({ Names: [createTargetGroupName(foreignPr, 'api')] })),
    ).rejects.toThrow(/not found/i);
    expect(await rulesOf(`pr-${foreignPr}.${config.domain}`)).toEqual([]);
  });

  it('reports targets that never become healthy within the bounded wait', async () => {
    const routing = await routePreviewServices(elb, routeInput(pr), { clock: new ManualClock() });
    const result = await waitForHealthyTargets(elb, [routing.services[0]?.targetGroup.arn as string], {
      clock: new ManualClock(),
      pollMs: 1000,
      timeoutMs: 3000,
    });
    expect(result.healthy).toBe(false);
    expect(result.groups[0]?.healthy).toBe(0);
  });

  it('recognises the errors the emulator gives for a taken priority, a group in use and a missing group', async () => {
    const foreignPr = basePr + 5;
    const group = await createUntaggedTargetGroup(foreignPr, 'x');
    const groupArn = group.TargetGroups?.[0]?.TargetGroupArn as string;
    const rule = {
      ListenerArn: config.listenerArn,
      Priority: priorityRange.max,
      Conditions: createRuleConditions(`pr-${foreignPr}.${config.domain}`, ['/*']),
      Actions: createForwardActions(groupArn),
    };
    const created = await elb.send(new CreateRuleCommand(rule));
    const taken = await elb.send(new CreateRuleCommand(rule)).catch((e: unknown) => e);
    expect(isPriorityInUse(taken)).toBe(true);
    const inUse = await elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: groupArn })).catch((e: unknown) => e);
    expect(isResourceInUse(inUse)).toBe(true);
    await elb.send(new DeleteRuleCommand({ RuleArn: created.Rules?.[0]?.RuleArn as string }));
    await elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: groupArn }));
    // moto answers a second DeleteRule with success, so a missing group is where NotFound can be seen.
    const gone = await elb
      .send(new DescribeTargetGroupsCommand({ Names: [createTargetGroupName(foreignPr, 'x')] }))
      .catch((e: unknown) => e);
    expect(isElbNotFound(gone)).toBe(true);
  });

  it("tears down one PR's rules and target groups and leaves the other PRs alone", async () => {
    const clock = new ManualClock();
    const host = `pr-${pr}.${config.domain}`;
    const rules = await deleteRulesOwnedBy(elb, config.listenerArn, { repo, pr }, { clock });
    expect(rules.failed).toEqual([]);
    expect(rules.deleted).toHaveLength(2);
    const groups = await deleteTargetGroupsOwnedBy(elb, { repo, pr }, { clock, retryDelayMs: 100 });
    expect(groups).toEqual({ deleted: expect.any(Array), failed: [] });
    expect(groups.deleted).toHaveLength(2);
    expect(await rulesOf(host)).toEqual([]);
    expect(await rulesOf(`pr-${basePr + 2}.${config.domain}`)).toHaveLength(2);
    const again = await deleteTargetGroupsOwnedBy(elb, { repo, pr }, { clock });
    expect(again).toEqual({ deleted: [], failed: [] });
    const left = await elb.send(new DescribeRulesCommand({ ListenerArn: config.listenerArn }));
    expect(left.Rules?.some((r) => r.IsDefault)).toBe(true);
  });
});
