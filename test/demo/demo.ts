// `pnpm demo`, the project's main job: the release lifecycle, run through the runner harness
// exactly as GitHub Actions runs the bundled actions, against the local sandbox.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OciClient } from '@preview-actions/core/registry';
import {
  issueCommentEvent,
  pullRequestEvent,
  runActionBundle,
  type ActionRun,
  type RunActionOptions,
} from '../harness/index.js';
import { pushImage } from '../e2e/registry-fixtures.js';
import { createSandboxActionEnv } from '../sandbox/action-env.js';
import { ensureSandbox } from '../sandbox/ensure.js';
import { createGitHubAdminClient } from '../standins/github/admin-client.js';
import { renderColumns, renderMarkdownForTerminal } from './render-terminal.js';

const bold = (text: string) => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[0m` : text);
const overview: string[][] = [];
const startedAll = performance.now();

async function step(title: string, options: RunActionOptions, expectFailure = false): Promise<ActionRun> {
  console.log(`\n${bold(`▶ ${title}`)}  (${options.action})`);
  const run = await runActionBundle({ timeoutMs: 600_000, ...options });
  for (const a of run.annotations) console.log(`  ${a.level}: ${a.message}`);
  const outputs = Object.entries(run.outputs);
  if (outputs.length > 0) {
    console.log('  outputs:');
    for (const [key, value] of outputs)
      console.log(`    ${key} = ${value.length > 160 ? `${value.slice(0, 157)}...` : value}`);
  }
  if (run.summary.trim()) console.log(`\n${renderMarkdownForTerminal(run.summary).replace(/^/gm, '  ')}`);
  const ok = expectFailure ? run.exitCode === 1 : run.exitCode === 0;
  overview.push([
    title,
    options.action,
    String(run.exitCode),
    ok ? 'as expected' : 'UNEXPECTED',
    `${(run.durationMs / 1000).toFixed(1)} s`,
  ]);
  if (!ok) {
    console.error(run.stdout.slice(-4000), run.stderr.slice(-2000));
    throw new Error(`demo step '${title}' exited ${run.exitCode}`);
  }
  return run;
}

function writeServices(): string {
  const workspace = mkdtempSync(join(tmpdir(), 'demo-workspace-'));
  for (const service of ['api', 'worker']) {
    const dir = join(workspace, 'services', service);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'hello.txt'), `hello from ${service}\n`);
    writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\nCOPY hello.txt /hello.txt\n');
  }
  return workspace;
}

console.log(bold('preview-actions demo: build once, promote the same bytes; a preview environment per pull request'));
console.log('Starting the sandbox (registries, AWS emulator, GitHub and Cloudflare stand-ins) if it is not running...');
const sandbox = await ensureSandbox();
const github = createGitHubAdminClient(sandbox.github.adminUrl);
const repository = 'octo-org/octo-repo';
const run = `demo-${Date.now().toString(36)}`;
const rcTag = 'v1.2.3-rc.1';
const rcCommit = { sha: (await github.call('createTag', { repo: repository, tag: rcTag, annotated: true })).commitSha };
await github.call('createTag', { repo: repository, tag: 'v1.2.3', sha: rcCommit.sha, annotated: true });

const env = {
  GITHUB_API_URL: sandbox.github.apiUrl,
  GITHUB_GRAPHQL_URL: sandbox.github.graphqlUrl,
  GITHUB_TOKEN: sandbox.github.token,
};
const registry = {
  registry: `${sandbox.registries.token.host}/${run}`,
  'registry-username': sandbox.registries.token.username,
  'registry-password': sandbox.registries.token.password,
};
const workspace = writeServices();

const rc = await step('An RC tag is pushed: what does it mean?', {
  action: 'classify-tag',
  ref: `refs/tags/${rcTag}`,
  env,
  sha: rcCommit.sha,
});
await step('Build every service once and push it as version, env and sha tags', {
  action: 'build-double-tag',
  workspace,
  sha: rcCommit.sha,
  inputs: {
    services: 'api\nworker',
    'version-tag': rc.outputs.tag!,
    'env-tag': rc.outputs['env-tag']!,
    builder: 'buildah',
    ...registry,
  },
  env: { STORAGE_DRIVER: 'vfs', BUILDAH_ISOLATION: 'chroot' },
});
const release = await step('The final tag is pushed: which RC does it promote?', {
  action: 'classify-tag',
  ref: 'refs/tags/v1.2.3',
  env,
  sha: rcCommit.sha,
  inputs: { 'require-same-commit': 'true' },
});
const promotion = {
  action: 'retag-promote',
  env,
  inputs: {
    services: 'api\nworker',
    'source-tag': release.outputs['latest-rc']!,
    'target-tags': `${release.outputs.tag}\n${release.outputs['env-tag']}`,
    ...registry,
  },
};
await step('Promote the exact RC image to v1.2.3 and prod (no rebuild)', promotion);
await step('A second promotion of the same version is a no-op', promotion);
await step(
  'Bad input fails before any change, with one line',
  { action: 'classify-tag', inputs: { tag: 'v1.2.3;id' }, env },
  true,
);

// Part two: a pull request gets its own environment (seed 000's stack) on the sandbox's moto, Cloudflare and GitHub.
const author = `demo-dev-${run}`;
const maintainer = `demo-maintainer-${run}`;
const reader = `demo-reader-${run}`;
await github.call('addCollaborator', { repo: repository, login: author, role: 'write' });
await github.call('addCollaborator', { repo: repository, login: maintainer, role: 'maintain' });
await github.call('addCollaborator', { repo: repository, login: reader, role: 'read' });
const pull = await github.call('createPullRequest', { repo: repository, author });
const pr = pull.number;
const previewWorkspace = mkdtempSync(join(tmpdir(), 'demo-preview-'));
mkdirSync(join(previewWorkspace, '.github'));
writeFileSync(
  join(previewWorkspace, '.github', 'preview.yml'),
  [
    `domain: ${sandbox.cloudflare.zoneName}`,
    `cluster: ${sandbox.seeded.clusters.previews}`,
    `listener-arn: ${sandbox.seeded.loadBalancer.httpsListenerArn}`,
    `vpc-id: ${sandbox.seeded.vpcId}`,
    `image-repository: ${sandbox.registries.basic.host}/${run}/monolith`,
    'services:',
    '  - { name: api, command: [./run_api.sh], port: 8000, paths: [/api/*], health-check-path: /api/health }',
    '  - { name: admin, command: [./run_admin.sh], port: 8000, paths: [/admin/*], health-check-path: /admin/health }',
    '  - { name: celery-default, command: [./run_celery.sh, default] }',
    '  - { name: celery-async, command: [./run_celery.sh, async] }',
    '  - { name: celery-low, command: [./run_celery.sh, low] }',
    '',
  ].join('\n'),
);
const basic = sandbox.registries.basic;
await pushImage(
  new OciClient({
    host: basic.directHost,
    credentials: { username: basic.username, password: basic.password },
    maskSecret: () => undefined,
  }),
  `${run}/monolith`,
  `pr-${pr}`,
  `pr-${pr}`,
);
const awsEnv = createSandboxActionEnv(sandbox);
const previewInputs = {
  'cloudflare-api-token': sandbox.cloudflare.apiToken,
  'registry-username': basic.username,
  'registry-password': basic.password,
};
await step(`PR #${pr} opened: deploy its preview environment`, {
  action: 'deploy-pr-env',
  workspace: previewWorkspace,
  event: pullRequestEvent('opened', { number: pr }),
  inputs: previewInputs,
  env: awsEnv,
});
const deployed = await step(`PR #${pr} synchronized: the same environment is updated in place`, {
  action: 'deploy-pr-env',
  workspace: previewWorkspace,
  event: pullRequestEvent('synchronize', { number: pr }),
  inputs: previewInputs,
  env: awsEnv,
});
await step(`The sticky comment on PR #${pr} shows the URLs, commands, expiry and cost`, {
  action: 'post-pr-comment',
  event: pullRequestEvent('synchronize', { number: pr }),
  env,
  inputs: {
    'pr-number': String(pr),
    status: 'deployed',
    urls: deployed.outputs.urls!,
    services: deployed.outputs.services!,
    'expires-at': deployed.outputs['expires-at']!,
    'estimated-cost-per-day': deployed.outputs['estimated-cost-per-day']!,
  },
});

async function commentCommand(login: string, body: string) {
  const record = await github.call('createComment', { repo: repository, issueNumber: pr, body, author: login });
  const event = issueCommentEvent('created', { number: pr, body, author: login, commentId: record.id });
  (event.payload.comment as { created_at: string }).created_at = record.createdAt;
  return event;
}
const denied = await step(`A read-only user comments /deploy on #${pr}: denied, with a reply`, {
  action: 'pr-command',
  event: await commentCommand(reader, '/deploy'),
  env,
});
if (denied.outputs.allowed !== 'false') throw new Error('the read-only /deploy was not denied');
await step(`A hostile comment '/deploy $(id)' is rejected`, {
  action: 'pr-command',
  event: await commentCommand(maintainer, '/deploy $(id)'),
  env,
});
const cleanupCommand = await step(`A maintainer comments /cleanup on #${pr}: allowed`, {
  action: 'pr-command',
  event: await commentCommand(maintainer, '/cleanup'),
  env,
});
if (cleanupCommand.outputs.allowed !== 'true') throw new Error('the maintainer /cleanup was not allowed');
await step(`/cleanup tears PR #${pr}'s environment down, in order, touching only what it owns`, {
  action: 'cleanup-stale',
  env: { ...awsEnv, REDIS_URL: sandbox.redis.url },
  inputs: {
    'pr-number': String(pr),
    cluster: sandbox.seeded.clusters.previews,
    'listener-arn': sandbox.seeded.loadBalancer.httpsListenerArn,
    'preview-domain': sandbox.cloudflare.zoneName,
    'cloudflare-api-token': sandbox.cloudflare.apiToken,
    'redis-url': sandbox.redis.url,
  },
});

console.log(`\n${bold('What happened')}\n`);
console.log(renderColumns(['Step', 'Action', 'Exit', 'Result', 'Time'], overview));
console.log(
  `\nDemo finished in ${((performance.now() - startedAll) / 1000).toFixed(1)} s. The sandbox keeps running; stop it with: pnpm sandbox down`,
);
