import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CreateServiceCommand, DeleteServiceCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OciClient } from '@preview-actions/core/registry';
import type { ActionRun } from '../harness/index.js';
import { createSandboxAwsClients, destroySandboxAwsClients, type SandboxAwsClients } from '../sandbox/aws-clients.js';
import { ensureSandbox } from '../sandbox/ensure.js';
import type { SandboxEndpoints } from '../sandbox/endpoints.js';
import { createFaultProxyClient } from '../sandbox/fault-proxy/client.js';
import { startFaultProxy, type FaultProxy } from '../sandbox/fault-proxy/server.js';
import { pushImage } from './registry-fixtures.js';
import { deploySeed000, readPreviewResources, renderSeed000EnvironmentFile } from './seed-000-environment.js';

// Everything the user's setup can get wrong is checked before deploy-pr-env writes anything: a name someone
// else owns (ECS service or DNS record), a cluster that does not exist, a listener in another VPC. Each case
// runs the bundle on moto through a private fault proxy and proves that no mutating AWS call was made and no
// resource of the PR exists afterwards.
let sandbox: SandboxEndpoints;
let aws: SandboxAwsClients;
let proxy: FaultProxy;
let workspace: string;
const basePr = 40_000 + Math.floor(Math.random() * 900) * 20;
const handMade: string[] = [];
const records: string[] = [];

async function mutatingCalls(): Promise<number> {
  const counters = await createFaultProxyClient(proxy.adminUrl).counters();
  return Object.values(counters.aws ?? {}).reduce((sum, c) => sum + c.mutating, 0);
}

function writeFile(name: string, edit: (text: string) => string = (t) => t): string {
  const file = `.github/${name}.yml`;
  writeFileSync(join(workspace, file), edit(renderSeed000EnvironmentFile(sandbox)));
  return file;
}

/** Runs the deploy and asserts it failed before writing anything, returning its error lines. */
async function expectRefusedBeforeAnyWrite(pr: number, file: string): Promise<string> {
  const before = await mutatingCalls();
  const run: ActionRun = await deploySeed000(sandbox, { pr, workspace, awsUrl: proxy.urls.aws!, file });
  const errors = run.annotations
    .filter((a) => a.level === 'error')
    .map((a) => a.message)
    .join('\n');
  expect({ exitCode: run.exitCode, mutating: (await mutatingCalls()) - before }).toEqual({
    exitCode: 1,
    mutating: 0,
  });
  const found = await readPreviewResources(sandbox, aws, pr, new RegExp(`^pr-${pr}-[a-z-]+$`));
  const ours = found.services.filter(
    (s) => s.tags['preview-actions:repo'] === 'octo-org/octo-repo' && s.tags['preview-actions:pr'] === String(pr),
  );
  expect({ services: ours.length, rules: found.rules.length, groups: found.groups.length }).toEqual({
    services: 0,
    rules: 0,
    groups: 0,
  });
  return errors;
}

/** A service named like the PR's api service, made by hand in the previews cluster with `tags`. */
async function createLookAlikeService(pr: number, tags: { key: string; value: string }[]): Promise<void> {
  const family = `hand-made-${pr}`;
  const registered = await aws.ecs.send(
    new RegisterTaskDefinitionCommand({
      family,
      containerDefinitions: [{ name: 'app', image: 'nginx', memory: 128 }],
    }),
  );
  const name = `pr-${pr}-api`;
  await aws.ecs.send(
    new CreateServiceCommand({
      cluster: sandbox.seeded.clusters.previews,
      serviceName: name,
      taskDefinition: registered.taskDefinition!.taskDefinitionArn!,
      desiredCount: 0,
      ...(tags.length > 0 && { tags }),
    }),
  );
  handMade.push(name);
}

beforeAll(async () => {
  sandbox = await ensureSandbox();
  aws = createSandboxAwsClients(sandbox.aws.directUrl);
  proxy = await startFaultProxy({ targets: { aws: { url: sandbox.aws.directUrl, kind: 'aws' } } });
  workspace = mkdtempSync(join(tmpdir(), 'deploy-prechecks-'));
  // Each case's image exists, so what refuses it is the check under test, not deploy-pr-env's missing-image check.
  const registry = new OciClient({
    host: sandbox.registries.basic.directHost,
    credentials: { username: sandbox.registries.basic.username, password: sandbox.registries.basic.password },
    maskSecret: () => undefined,
  });
  for (let i = 0; i <= 5; i++) await pushImage(registry, 'previews/app', `pr-${basePr + i}`, `pr-${basePr + i}`);
  mkdirSync(join(workspace, '.github'));
  writeFile('preview');
}, 300_000);

afterAll(async () => {
  for (const service of handMade)
    await aws.ecs
      .send(new DeleteServiceCommand({ cluster: sandbox.seeded.clusters.previews, service, force: true }))
      .catch(() => undefined);
  for (const id of records)
    await fetch(`${sandbox.cloudflare.baseUrl}/zones/${sandbox.cloudflare.zoneId}/dns_records/${id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${sandbox.cloudflare.apiToken}` },
    });
  destroySandboxAwsClients(aws);
  await proxy.close();
});

describe('deploy-pr-env checks ownership and setup before the first write', () => {
  it('refuses a same-named ECS service without our tags, naming it, and makes nothing', async () => {
    const pr = basePr;
    await createLookAlikeService(pr, []);
    const errors = await expectRefusedBeforeAnyWrite(pr, '.github/preview.yml');
    expect(errors).toContain(`ECS service pr-${pr}-api (no preview-actions tags) in cluster`);
  }, 300_000);

  it("refuses another repository's service of the same name", async () => {
    const pr = basePr + 1;
    await createLookAlikeService(pr, [
      { key: 'preview-actions:managed', value: 'true' },
      { key: 'preview-actions:repo', value: 'other-org/other-repo' },
      { key: 'preview-actions:pr', value: String(pr) },
    ]);
    const errors = await expectRefusedBeforeAnyWrite(pr, '.github/preview.yml');
    expect(errors).toContain(`ECS service pr-${pr}-api (other-org/other-repo#${pr}) in cluster`);
    expect(errors).toContain(`is not octo-org/octo-repo#${pr}'s`);
  }, 300_000);

  it('refuses a cluster that does not exist, naming the input, before target groups, rules or DNS exist', async () => {
    const file = writeFile('no-cluster', (t) => t.replace(/^cluster: .*$/m, 'cluster: no-such-cluster'));
    const errors = await expectRefusedBeforeAnyWrite(basePr + 2, file);
    expect(errors).toContain('cluster: ECS cluster no-such-cluster does not exist');
  }, 300_000);

  it('refuses a vpc-id other than the listener’s load balancer’s', async () => {
    const file = writeFile('other-vpc', (t) => t.replace(/^vpc-id: .*$/m, 'vpc-id: vpc-0000000000000000f'));
    const errors = await expectRefusedBeforeAnyWrite(basePr + 3, file);
    expect(errors).toContain(`vpc-id: the environment file says vpc-0000000000000000f, but listener`);
    expect(errors).toContain(`set vpc-id to ${sandbox.seeded.vpcId}`);
  }, 300_000);

  it('refuses a DNS name that has a record we did not make before any service exists', async () => {
    const pr = basePr + 4;
    const created = (await fetch(`${sandbox.cloudflare.baseUrl}/zones/${sandbox.cloudflare.zoneId}/dns_records`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sandbox.cloudflare.apiToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'A', name: `pr-${pr}.${sandbox.cloudflare.zoneName}`, content: '192.0.2.1' }),
    }).then((r) => r.json())) as { result: { id: string } };
    records.push(created.result.id);
    const errors = await expectRefusedBeforeAnyWrite(pr, '.github/preview.yml');
    expect(errors).toContain(`not made by preview-actions for octo-org/octo-repo#${pr} (ids ${created.result.id})`);
  }, 300_000);
});
