// pnpm exec tsx scripts/try-preview.ts [pr-number] [--cleanup]: deploys a one-service preview with deploy-pr-env's
// bundle on the running local sandbox (pnpm sandbox up), the way a pull_request workflow would, and prints where
// it went. With --cleanup, tears that preview down with cleanup-stale's bundle, as the PR-closed workflow would.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removePreviewEnvironment, renderSandboxEnvironmentHeader } from '../test/e2e/seed-000-environment.js';
import { pullRequestEvent, runActionBundle } from '../test/harness/index.js';
import { readSandboxEndpoints } from '../test/sandbox/endpoints.js';

const sandbox = readSandboxEndpoints();
const args = process.argv.slice(2);
const cleanup = args.includes('--cleanup');
const number = args.find((arg) => !arg.startsWith('--'));
const pr = Number(number ?? 9000 + Math.floor(Math.random() * 1000));
if (!Number.isInteger(pr) || pr < 1) throw new Error(`try-preview: '${number}' is not a pull request number`);

if (cleanup) {
  console.log(`try-preview: removing pr-${pr} with actions/cleanup-stale/dist/index.js …`);
  await removePreviewEnvironment(sandbox, pr);
  console.log(`try-preview: pr-${pr} is gone (services, listener rules, target groups, DNS record).`);
} else {
  await deploy();
}

async function deploy(): Promise<void> {
  const environmentFile = `${renderSandboxEnvironmentHeader(sandbox)}services:
  - name: web
    command: [./run_web.sh]
    port: 8000
    paths: [/*]
    health-check-path: /health
`;
  const workspace = mkdtempSync(join(tmpdir(), 'try-preview-'));
  mkdirSync(join(workspace, '.github'));
  writeFileSync(join(workspace, '.github/preview.yml'), environmentFile);
  try {
    console.log(`try-preview: deploying pr-${pr} with actions/deploy-pr-env/dist/index.js …`);
    const run = await runActionBundle({
      action: 'deploy-pr-env',
      workspace,
      event: pullRequestEvent('opened', { number: pr }),
      inputs: {
        'cloudflare-api-token': sandbox.cloudflare.apiToken,
        'registry-username': sandbox.registries.basic.username,
        'registry-password': sandbox.registries.basic.password,
        // moto registers no targets with the ALB, so there is no target health to wait for
        'health-timeout': '0',
        'wait-timeout': '120',
      },
      env: sandbox.env,
      token: sandbox.github.token,
      timeoutMs: 300_000,
    });
    console.log(run.summary);
    for (const [name, value] of Object.entries(run.outputs)) console.log(`output ${name}=${value}`);
    if (run.exitCode !== 0) {
      console.error(run.stdout, run.stderr);
      console.error(`try-preview: deploy-pr-env exited with ${run.exitCode}`);
      process.exitCode = 1;
    } else {
      console.log(`try-preview: pr-${pr} is running on cluster ${sandbox.seeded.clusters.previews}.`);
    }
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}
