import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  CreateServiceCommand,
  DeleteServiceCommand,
  DescribeServicesCommand,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import {
  CreateTargetGroupCommand,
  DeleteTargetGroupCommand,
  DescribeTagsCommand,
  DescribeTargetGroupsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OciClient } from '@preview-actions/core/registry';
import type { ActionRun } from '../harness/index.js';
import { createSandboxAwsClients, destroySandboxAwsClients, type SandboxAwsClients } from '../sandbox/aws-clients.js';
import { ensureSandbox } from '../sandbox/ensure.js';
import type { SandboxEndpoints } from '../sandbox/endpoints.js';
import { createFaultProxyClient, type FaultProxyClient } from '../sandbox/fault-proxy/client.js';
import type { FaultRuleSpec } from '../sandbox/fault-proxy/rules.js';
import { startFaultProxy, type FaultProxy } from '../sandbox/fault-proxy/server.js';
import { pushImage } from './registry-fixtures.js';
import { expectOneClearOutcome, withFaultRules } from './fault-outcomes.js';
import {
  deploySeed000,
  readPreviewResources,
  removePreviewEnvironment,
  renderSeed000EnvironmentFile,
} from './seed-000-environment.js';

// deploy-pr-env (bundled) with AWS and Cloudflare behind a PRIVATE fault proxy: throttling storms, 5xx
// bursts and connection resets. Every run ends in success or one clear error, a re-run converges to the
// clean five-service shape, and the look-alike resources we do not own are left exactly as they were.
// (Failing the k-th AWS write is covered by deploy-pr-env.test.ts.)
let sandbox: SandboxEndpoints;
let aws: SandboxAwsClients;
let proxy: FaultProxy;
let faults: FaultProxyClient;
let workspace: string;
// Its own range: deploy-pr-env.test.ts uses 7000-8100.
const basePr = 60_000 + Math.floor(Math.random() * 900) * 10;
const FOREIGN = `pr-${basePr}-legacy`;
let foreignBefore: unknown;

function deploy(pr: number, inputs: Record<string, string> = {}): Promise<ActionRun> {
  return deploySeed000(sandbox, {
    pr,
    workspace,
    awsUrl: proxy.urls.aws!,
    cloudflareUrl: proxy.urls.cloudflare!,
    inputs: { 'github-deployment': 'false', ...inputs },
  });
}

async function readRecords(name: string) {
  const response = await fetch(
    `${sandbox.cloudflare.directBaseUrl}/zones/${sandbox.cloudflare.zoneId}/dns_records?name=${name}`,
    { headers: { authorization: `Bearer ${sandbox.cloudflare.apiToken}` } },
  );
  return (
    (await response.json()) as {
      result: { id: string; name: string; content: string; proxied: boolean; comment?: string }[];
    }
  ).result;
}

/** The shape of what `pr` owns: counts of ACTIVE services, host rules, its target groups and DNS records. */
async function readShape(pr: number) {
  const found = await readPreviewResources(sandbox, aws, pr, new RegExp(`^pr-${pr}-(api|admin|celery-[a-z]+)$`));
  return {
    services: found.services.length,
    rules: found.rules.length,
    groups: found.groups.filter((g) => g.TargetGroupName !== FOREIGN).length,
    records: (await readRecords(`pr-${pr}.${sandbox.cloudflare.zoneName}`)).length,
  };
}

/** Everything observable about the foreign look-alikes. */
async function readForeign() {
  const cluster = sandbox.seeded.clusters.previews;
  const service = (await aws.ecs.send(new DescribeServicesCommand({ cluster, services: [FOREIGN], include: ['TAGS'] })))
    .services?.[0];
  const group = (await aws.elbv2.send(new DescribeTargetGroupsCommand({ Names: [FOREIGN] }))).TargetGroups?.[0];
  const groupTags = group
    ? (await aws.elbv2.send(new DescribeTagsCommand({ ResourceArns: [group.TargetGroupArn!] }))).TagDescriptions
    : undefined;
  return {
    service: service && {
      status: service.status,
      taskDefinition: service.taskDefinition,
      desiredCount: service.desiredCount,
      tags: service.tags ?? [],
    },
    group: group && { arn: group.TargetGroupArn, port: group.Port, health: group.HealthCheckPath, tags: groupTags },
    record: await readRecords(`legacy-pr-${basePr}.${sandbox.cloudflare.zoneName}`),
  };
}

beforeAll(async () => {
  sandbox = await ensureSandbox();
  aws = createSandboxAwsClients(sandbox.aws.directUrl);
  proxy = await startFaultProxy({
    targets: {
      aws: { url: sandbox.aws.directUrl, kind: 'aws' },
      cloudflare: { url: sandbox.cloudflare.directBaseUrl, kind: 'cloudflare' },
    },
  });
  faults = createFaultProxyClient(proxy.adminUrl);
  workspace = mkdtempSync(join(tmpdir(), 'faults-deploy-'));
  mkdirSync(join(workspace, '.github'));
  writeFileSync(join(workspace, '.github', 'preview.yml'), renderSeed000EnvironmentFile(sandbox));
  const registry = new OciClient({
    host: sandbox.registries.basic.directHost,
    credentials: { username: sandbox.registries.basic.username, password: sandbox.registries.basic.password },
    maskSecret: () => undefined,
  });
  for (let i = 0; i < 8; i++) await pushImage(registry, 'previews/app', `pr-${basePr + i}`, `pr-${basePr + i}`);

  // Look-alikes named like ours but carrying none of our ownership tags.
  const cluster = sandbox.seeded.clusters.previews;
  const td = await aws.ecs.send(
    new RegisterTaskDefinitionCommand({
      family: FOREIGN,
      containerDefinitions: [{ name: 'legacy', image: 'nginx:alpine', memory: 128, cpu: 128 }],
    }),
  );
  await aws.ecs.send(
    new CreateServiceCommand({
      cluster,
      serviceName: FOREIGN,
      taskDefinition: td.taskDefinition?.taskDefinitionArn,
      desiredCount: 1,
      tags: [{ key: 'team', value: 'someone-else' }],
    }),
  );
  await aws.elbv2.send(
    new CreateTargetGroupCommand({
      Name: FOREIGN,
      Protocol: 'HTTP',
      Port: 81,
      VpcId: sandbox.seeded.vpcId,
      TargetType: 'ip',
      HealthCheckPath: '/legacy',
      Tags: [{ Key: 'team', Value: 'someone-else' }],
    }),
  );
  const created = await fetch(`${sandbox.cloudflare.directBaseUrl}/zones/${sandbox.cloudflare.zoneId}/dns_records`, {
    method: 'POST',
    headers: { authorization: `Bearer ${sandbox.cloudflare.apiToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      type: 'CNAME',
      name: `legacy-pr-${basePr}.${sandbox.cloudflare.zoneName}`,
      content: 'legacy.example.test',
      proxied: false,
      comment: 'managed by another team',
    }),
  });
  expect(created.status).toBe(200);
  foreignBefore = await readForeign();
}, 900_000);

afterAll(async () => {
  // The shared listener holds 100 rules and 100 target groups: leave none behind, look-alikes included.
  if (sandbox) for (let i = 1; i <= 7; i++) await removePreviewEnvironment(sandbox, basePr + i);
  if (aws && foreignBefore) await removeForeign();
  if (aws) destroySandboxAwsClients(aws);
  await proxy?.close();
  if (workspace) rmSync(workspace, { recursive: true, force: true });
}, 900_000);

async function removeForeign(): Promise<void> {
  const cluster = sandbox.seeded.clusters.previews;
  await aws.ecs.send(new DeleteServiceCommand({ cluster, service: FOREIGN, force: true }));
  const group = (await aws.elbv2.send(new DescribeTargetGroupsCommand({ Names: [FOREIGN] }))).TargetGroups?.[0];
  if (group) await aws.elbv2.send(new DeleteTargetGroupCommand({ TargetGroupArn: group.TargetGroupArn }));
  for (const record of await readRecords(`legacy-pr-${basePr}.${sandbox.cloudflare.zoneName}`)) {
    await fetch(`${sandbox.cloudflare.directBaseUrl}/zones/${sandbox.cloudflare.zoneId}/dns_records/${record.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${sandbox.cloudflare.apiToken}` },
    });
  }
}

const CLEAN = { services: 5, rules: 2, groups: 2, records: 1 };

describe('deploy-pr-env through AWS and Cloudflare faults', () => {
  const storms: [string, FaultRuleSpec[]][] = [
    ['an AWS throttling storm (15 × ThrottlingException)', [{ target: 'aws', throttle: 15, retryAfterSeconds: 0.2 }]],
    ['an AWS 5xx burst (8 × 503)', [{ target: 'aws', status5xx: { times: 8, code: 503 } }]],
    ['AWS connection resets (6)', [{ target: 'aws', reset: 6 }]],
    [
      'AWS resets after moto applied the write (3 writes)',
      [{ target: 'aws', operation: '*:Create*', reset: 3, afterForward: true }],
    ],
    [
      'Cloudflare throttling and a 5xx burst',
      [
        { target: 'cloudflare', throttle: 4, retryAfterSeconds: 0.2 },
        { target: 'cloudflare', status5xx: { times: 4, code: 502 } },
      ],
    ],
    ['everything at once', [{ throttle: 6, retryAfterSeconds: 0.2 }, { status5xx: 6 }, { reset: 4 }]],
  ];
  storms.forEach(([name, rules], i) => {
    it(`${name}: success or one clear error, then a re-run converges`, async () => {
      const pr = basePr + 1 + i;
      const faulted = await withFaultRules(faults, rules, () => deploy(pr));
      expectOneClearOutcome(faulted);
      const rerun = await deploy(pr);
      expect(rerun.annotations.filter((a) => a.level === 'error')).toEqual([]);
      expect(rerun.exitCode).toBe(0);
      expect(await readShape(pr)).toEqual(CLEAN);
    }, 600_000);
  });

  it('Cloudflare rejecting the token at the record (services already made): one clear error, no crash, then a re-run converges', async () => {
    const pr = basePr + 7;
    const rejected = await deploy(pr, {
      'cloudflare-api-token': 'h7-revoked-token',
      'cloudflare-zone-id': sandbox.cloudflare.zoneId,
    });
    expect(rejected.exitCode).toBe(1);
    // The record is written while the services are made: its failure is reported, it does not kill the process.
    expect(rejected.stderr).not.toMatch(/AuthenticationError|at .*dist\/index\.js/);
    expect(rejected.annotations.filter((a) => a.level === 'error').map((a) => a.message)).toEqual([
      expect.stringMatching(/^deploy-pr-env failed: Cloudflare rejected the API token \(401: Authentication error/),
    ]);
    // Registered as a mask (the runner hides it), and nowhere else.
    expect(rejected.masks).toContain('h7-revoked-token');
    const printed = `${rejected.stdout.replace(/^::add-mask::.*$/gm, '')}${rejected.stderr}${rejected.summary}`;
    expect(printed).not.toContain('h7-revoked-token');
    const rerun = await deploy(pr);
    expect(rerun.exitCode).toBe(0);
    expect(await readShape(pr)).toEqual(CLEAN);
  }, 600_000);

  it('the foreign look-alike service, target group and DNS record are unchanged', async () => {
    expect(await readForeign()).toEqual(foreignBefore);
    expect(foreignBefore).toMatchObject({ service: { status: 'ACTIVE' }, group: { port: 81 } });
  }, 60_000);
});
