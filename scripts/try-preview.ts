// pnpm exec tsx scripts/try-preview.ts [pr-number]: deploys a one-service preview with deploy-pr-env's bundle
// on the running local sandbox (pnpm sandbox up), the way a pull_request workflow would, and prints where it went.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pullRequestEvent, runActionBundle } from '../test/harness/index.js';
import { readSandboxEndpoints } from '../test/sandbox/endpoints.js';

const sandbox = readSandboxEndpoints();
const pr = Number(process.argv[2] ?? 9000 + Math.floor(Math.random() * 1000));
if (!Number.isInteger(pr) || pr < 1) throw new Error(`try-preview: '${process.argv[2]}' is not a pull request number`);

const seeded = sandbox.seeded;
const environmentFile = `domain: ${sandbox.cloudflare.zoneName}
cluster: ${seeded.clusters.previews}
listener-arn: ${seeded.loadBalancer.httpsListenerArn}
vpc-id: ${seeded.vpcId}
priority-range: 1000-1999
ttl-hours: 24
image-repository: ${sandbox.registries.basic.host}/previews/app
services:
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
    console.log(`try-preview: pr-${pr} is running on cluster ${seeded.clusters.previews}.`);
  }
} finally {
  rmSync(workspace, { recursive: true, force: true });
}
