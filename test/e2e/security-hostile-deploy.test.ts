import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSandboxAwsClients, destroySandboxAwsClients, type SandboxAwsClients } from '../sandbox/aws-clients.js';
import { ensureSandbox } from '../sandbox/ensure.js';
import type { SandboxEndpoints } from '../sandbox/endpoints.js';
import { OciClient } from '@preview-actions/core/registry';
import { CORPUS, inspectRun } from './hostile-corpus.js';
import { pushImage } from './registry-fixtures.js';
import { deploySeed000, removePreviewEnvironment, renderSandboxEnvironmentHeader } from './seed-000-environment.js';

// The hostile corpus on the success path: values the environment file may legitimately hold (a worker's command
// and environment) are deployed for real, then must reach ECS byte for byte and stay inert in every log (debug on) and
// in the summary of a successful deploy. (Identifiers are rejected before any AWS call: security-hostile-inputs.)
let sandbox: SandboxEndpoints;
let aws: SandboxAwsClients;
let workspace: string;
// Its own range: other deploy suites use 20000+ and 60000+.
const pr = 80_000 + Math.floor(Math.random() * 9_000);

function renderEnvironmentFile(value: string): string {
  const quoted = JSON.stringify(value);
  return `${renderSandboxEnvironmentHeader(sandbox)}services:
  - name: api
    command: [./run_api.sh]
    port: 8000
    paths: [/api/*]
    health-check-path: /api/health
  - name: worker
    command: [./run_worker.sh, ${quoted}]
    environment:
      SETTING: ${quoted}
`;
}

async function readWorkerContainer() {
  const cluster = sandbox.seeded.clusters.previews;
  const service = (await aws.ecs.send(new DescribeServicesCommand({ cluster, services: [`pr-${pr}-worker`] })))
    .services?.[0];
  const definition = await aws.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: service?.taskDefinition }));
  return definition.taskDefinition?.containerDefinitions?.[0];
}

beforeAll(async () => {
  sandbox = await ensureSandbox();
  aws = createSandboxAwsClients(sandbox.aws.directUrl);
  workspace = mkdtempSync(join(tmpdir(), 'security-deploy-'));
  mkdirSync(join(workspace, '.github'));
  const registry = new OciClient({
    host: sandbox.registries.basic.directHost,
    credentials: { username: sandbox.registries.basic.username, password: sandbox.registries.basic.password },
    maskSecret: () => undefined,
  });
  await pushImage(registry, 'previews/app', `pr-${pr}`, `pr-${pr}`);
}, 600_000);

afterAll(async () => {
  // The shared listener holds 100 rules: leave none behind.
  if (sandbox) await removePreviewEnvironment(sandbox, pr);
  if (aws) destroySandboxAwsClients(aws);
  if (workspace) rmSync(workspace, { recursive: true, force: true });
}, 600_000);

describe('deploy-pr-env deploys hostile command and environment values', () => {
  it('each value reaches the task definition verbatim, and the successful run stays inert in logs and summary', async () => {
    const problems: string[] = [];
    // One PR updated in place per value: every run after the first is a synchronize of the same environment.
    for (const [label, value] of Object.entries(CORPUS)) {
      writeFileSync(join(workspace, '.github', 'preview.yml'), renderEnvironmentFile(value));
      const run = await deploySeed000(sandbox, {
        pr,
        workspace,
        awsUrl: sandbox.aws.directUrl,
        inputs: { 'github-deployment': 'false' },
        debug: true,
      });
      const found = inspectRun(run);
      if (run.exitCode !== 0) {
        found.push(`exit ${run.exitCode}: ${run.annotations.map((a) => a.message.slice(0, 200)).join(' | ')}`);
      } else {
        if (!/### Preview pr-\d+: ready/.test(run.summary)) found.push('summary does not report the deploy ready');
        const container = await readWorkerContainer();
        if (JSON.stringify(container?.command) !== JSON.stringify(['./run_worker.sh', value]))
          found.push('command not deployed verbatim');
        const setting = container?.environment?.find((e) => e.name === 'SETTING')?.value;
        if (setting !== value) found.push('environment value not deployed verbatim');
      }
      problems.push(...found.map((p) => `${label}: ${p}`));
    }
    expect(problems).toEqual([]);
  }, 900_000);
});
