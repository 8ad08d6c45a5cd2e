// pnpm exec tsx scripts/try-preview.ts [pr-number] [--file <environment file>] [--cleanup]: deploys a preview with
// deploy-pr-env's bundle on the running local sandbox (pnpm sandbox up), the way a pull_request workflow would, and
// prints where it went. Without --file it is one web service; with --file, your own environment file, checked as
// the action checks it, then run with the sandbox's cluster, listener, VPC, domain and images in place of yours.
// With --cleanup, tears that preview down with cleanup-stale's bundle, as the PR-closed workflow would.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removePreviewEnvironment, renderSandboxEnvironmentHeader } from '../test/e2e/seed-000-environment.js';
import { pullRequestEvent, runActionBundle } from '../test/harness/index.js';
import { readSandboxEndpoints } from '../test/sandbox/endpoints.js';
import { pushBehaviourImage } from '../test/sandbox/behaviour-image.js';
import { OciClient } from '../packages/core/src/registry/index.js';
import { parseEnvironmentFile } from '../packages/core/src/preview/parse-environment-file.js';
import { adaptEnvironmentFileToSandbox } from './adapt-environment-file.js';

const sandbox = readSandboxEndpoints();
const args = process.argv.slice(2);
const cleanup = args.includes('--cleanup');
const fileAt = args.indexOf('--file');
const userFile = fileAt >= 0 ? args[fileAt + 1] : undefined;
if (fileAt >= 0 && !userFile) throw new Error('try-preview: --file needs a path to an environment file');
const number = args.find((arg, i) => !arg.startsWith('--') && (fileAt < 0 || i !== fileAt + 1));
const pr = Number(number ?? 9000 + Math.floor(Math.random() * 1000));
if (!Number.isInteger(pr) || pr < 1) throw new Error(`try-preview: '${number}' is not a pull request number`);

if (cleanup) {
  console.log(`try-preview: removing pr-${pr} with actions/cleanup-stale/dist/index.js …`);
  await removePreviewEnvironment(sandbox, pr);
  console.log(`try-preview: pr-${pr} is gone (services, listener rules, target groups, DNS record).`);
} else {
  await deploy();
}

/** The user's file, checked as deploy-pr-env checks it (its messages), then pointed at the sandbox. */
function readUserEnvironmentFile(path: string): string {
  if (!existsSync(path)) throw new Error(`try-preview: ${path} does not exist`);
  const text = readFileSync(path, 'utf8');
  try {
    parseEnvironmentFile(text, path);
  } catch (error) {
    console.error(`try-preview: deploy-pr-env would refuse it: ${(error as Error).message}`);
    process.exit(1);
  }
  const adapted = adaptEnvironmentFileToSandbox(text, sandbox);
  console.log(`try-preview: ${path} is valid; on the sandbox these are the sandbox's: ${adapted.replaced.join(', ')}`);
  return adapted.text;
}

async function deploy(): Promise<void> {
  const environmentFile = userFile
    ? readUserEnvironmentFile(userFile)
    : `${renderSandboxEnvironmentHeader(sandbox)}services:
  - name: web
    command: [./run_web.sh]
    port: 8000
    paths: [/*]
    health-check-path: /health
`;
  const workspace = mkdtempSync(join(tmpdir(), 'try-preview-'));
  mkdirSync(join(workspace, '.github'));
  writeFileSync(join(workspace, '.github/preview.yml'), environmentFile);
  // What the PR's build would have pushed: a healthy image the sandbox's ECS can pull (deploy-pr-env refuses a tag
  // the registry does not have).
  const { basic } = sandbox.registries;
  const client = new OciClient({
    host: basic.directHost,
    credentials: { username: basic.username, password: basic.password },
    maskSecret: () => undefined,
  });
  await pushBehaviourImage({ client, host: basic.host }, 'previews/app', `pr-${pr}`, 'healthy');
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
