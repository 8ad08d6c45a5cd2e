/**
 * A redeploy keeps a longer expiry set by /extend (issue 13): the bundled deploy-pr-env deploys a preview with
 * ttl-hours on the sandbox, the bundled cleanup-stale extends it (as /extend does), and a second deploy of the
 * same PR reports, and leaves on every service and target group, the extended expiry instead of ttl-hours from
 * now. A deploy of a file without ttl-hours reports no expiry at all (no expiry by time) and says so.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listOwnedTargetGroups } from '@preview-actions/core/alb';
import { listOwnedServices } from '@preview-actions/core/ecs';
import { OWNERSHIP_TAG_KEYS } from '@preview-actions/core/preview';
import { OciClient } from '@preview-actions/core/registry';
import { pullRequestEvent, runActionBundle, type ActionRun } from '../harness/index.js';
import { createSandboxActionEnv } from '../sandbox/action-env.js';
import { createSandboxAwsClients, destroySandboxAwsClients, type SandboxAwsClients } from '../sandbox/aws-clients.js';
import { ensureSandbox } from '../sandbox/ensure.js';
import type { SandboxEndpoints } from '../sandbox/endpoints.js';
import { pushImage } from './registry-fixtures.js';
import { deploySeed000, removePreviewEnvironment, renderSandboxEnvironmentHeader } from './seed-000-environment.js';

jest.setTimeout(600_000);

const HOUR = 3_600_000;
const repo = 'octo-org/octo-repo';

describe('deploy-pr-env and cleanup-stale (bundled): expiry across /extend and redeploys', () => {
  // A range of its own, so parallel files never share a PR's environment.
  const pr = 26_000 + Math.floor(Math.random() * 900) * 2;
  const idlePr = pr + 1;
  let sandbox: SandboxEndpoints;
  let aws: SandboxAwsClients;
  let workspace: string;

  const services =
    'services:\n  - name: api\n    command: [./run_api.sh]\n    port: 8000\n    paths: [/api/*]\n    health-check-path: /api/health\n';

  function expectSuccess(run: ActionRun): void {
    const errors = run.annotations.filter((a) => a.level === 'error').map((a) => a.message);
    expect({ exitCode: run.exitCode, errors }).toEqual({ exitCode: 0, errors: [] });
  }

  const deploy = (n: number, file = '.github/preview.yml') =>
    deploySeed000(sandbox, { pr: n, workspace, awsUrl: sandbox.aws.directUrl, file });

  async function readExpiries(n: number): Promise<(string | undefined)[]> {
    const who = { repo, pr: n };
    const [owned, groups] = await Promise.all([
      listOwnedServices(aws.ecs, sandbox.seeded.clusters.previews, who),
      listOwnedTargetGroups(aws.elbv2, who),
    ]);
    return [
      ...owned.map((s) => s.tags[OWNERSHIP_TAG_KEYS.expiresAt]),
      ...groups.map((g) => g.facts.expiresAt?.toISOString()),
    ];
  }

  beforeAll(async () => {
    sandbox = await ensureSandbox();
    aws = createSandboxAwsClients(sandbox.aws.directUrl);
    workspace = mkdtempSync(join(tmpdir(), 'deploy-extend-'));
    mkdirSync(join(workspace, '.github'));
    writeFileSync(join(workspace, '.github/preview.yml'), `${renderSandboxEnvironmentHeader(sandbox, 24)}${services}`);
    writeFileSync(
      join(workspace, '.github/idle.yml'),
      `${renderSandboxEnvironmentHeader(sandbox).replace(/^ttl-hours: .*\n/m, '')}${services}`,
    );
    const registry = new OciClient({
      host: sandbox.registries.basic.directHost,
      credentials: { username: sandbox.registries.basic.username, password: sandbox.registries.basic.password },
      maskSecret: () => undefined,
    });
    for (const n of [pr, idlePr]) await pushImage(registry, 'previews/app', `pr-${n}`, `pr-${n}`);
  });

  afterAll(async () => {
    for (const n of [pr, idlePr]) await removePreviewEnvironment(sandbox, n).catch(() => undefined);
    if (aws) destroySandboxAwsClients(aws);
  });

  it('keeps an /extend longer than ttl-hours through a redeploy, on every resource', async () => {
    const first = await deploy(pr);
    expectSuccess(first);
    const fresh = Date.parse(first.outputs['expires-at'] ?? '');
    expect(Math.abs(fresh - Date.now() - 24 * HOUR)).toBeLessThan(10 * 60_000);

    const extend = await runActionBundle({
      action: 'cleanup-stale',
      event: pullRequestEvent('opened', { number: pr }),
      inputs: {
        'pr-number': String(pr),
        extend: '3d',
        cluster: sandbox.seeded.clusters.previews,
        'listener-arn': sandbox.seeded.loadBalancer.httpsListenerArn,
      },
      env: createSandboxActionEnv(sandbox, { aws: sandbox.aws.directUrl }),
      token: sandbox.github.token,
      timeoutMs: 120_000,
    });
    expectSuccess(extend);
    const extended = extend.outputs['expires-at'] ?? '';
    expect(Date.parse(extended) - fresh).toBeGreaterThan(40 * HOUR);
    expect(extend.summary).toContain(`#${pr} now expires at ${extended} (was ${first.outputs['expires-at']})`);

    const second = await deploy(pr);
    expectSuccess(second);
    expect(second.outputs['expires-at']).toBe(extended);
    expect(second.summary).toContain(`Expires ${extended} (ttl-hours`);
    expect(new Set(await readExpiries(pr))).toEqual(new Set([extended]));
  });

  it('reports no expiry for a file without ttl-hours, and says inactivity ends it', async () => {
    const run = await deploy(idlePr, '.github/idle.yml');
    expectSuccess(run);
    expect(run.outputs['expires-at']).toBe('');
    expect(run.summary).toContain('No expiry by time: removed after a period without activity');
    expect(await readExpiries(idlePr)).toEqual([undefined, undefined]);
  });
});
