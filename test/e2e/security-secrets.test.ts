import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  issueCommentEvent,
  pullRequestEvent,
  runActionBundle,
  scheduleEvent,
  type ActionRun,
} from '../harness/index.js';
import { connectBasicRegistry } from '../sandbox/basic-registry.js';
import { pushBehaviourImage } from '../sandbox/behaviour-image.js';
import { ensureSandbox } from '../sandbox/ensure.js';
import type { SandboxEndpoints } from '../sandbox/endpoints.js';
import { createFaultProxyClient } from '../sandbox/fault-proxy/client.js';
import { startFaultProxy, type FaultProxy } from '../sandbox/fault-proxy/server.js';
import { startGitHubStandIn, type GitHubStandIn } from '../standins/github/server.js';

// Every error path reachable with secrets in play: no secret, nor a form derived from it, may reach
// stdout (outside ::add-mask:: lines), stderr, the summary or the outputs.
const UNREACHABLE = 'http://127.0.0.1:9';
// Characters that base64 and URL encoding both change, so every derived form differs from the raw one.
const secret = (name: string) => `${name}-${randomBytes(9).toString('base64url')}/+=:@ $&`;
const secrets = {
  registryPassword: secret('regpw'),
  cloudflareToken: secret('cftoken'),
  githubToken: `ghs_${randomBytes(18).toString('hex')}`,
  basicAuthSecret: secret('basic'),
  webhookToken: `hook${randomBytes(12).toString('hex')}`,
  awsSecretKey: secret('awskey'),
  redisPassword: `redis${randomBytes(12).toString('hex')}`,
};
const REGISTRY_USER = 'previewbot';

/** The raw secret and the forms an encoder on the way out could give it. */
function derivedForms(value: string): string[] {
  const forms = new Set([
    value,
    Buffer.from(value).toString('base64'),
    Buffer.from(value).toString('base64url'),
    Buffer.from(`${REGISTRY_USER}:${value}`).toString('base64'),
    Buffer.from(`x-access-token:${value}`).toString('base64'),
    encodeURIComponent(value),
    encodeURI(value),
    JSON.stringify(value).slice(1, -1),
  ]);
  return [...forms].filter((form) => form.length >= 8);
}

/** Where a secret or derived form shows up in a run, outside the lines that ask the runner to mask it. */
function findLeaks(run: ActionRun, values: string[]): string[] {
  const channels: Record<string, string> = {
    stdout: run.stdout
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'))
      .join('\n'),
    stderr: run.stderr,
    summary: run.summary,
    outputs: JSON.stringify(run.outputs),
  };
  const leaks: string[] = [];
  for (const value of values) {
    for (const form of derivedForms(value)) {
      for (const [channel, text] of Object.entries(channels)) {
        if (text.includes(form)) leaks.push(`${channel} holds a form of ${value.slice(0, 6)}…`);
      }
    }
  }
  return [...new Set(leaks)];
}

const errorOf = (run: ActionRun) => run.annotations.find((a) => a.level === 'error')?.message ?? '';

let sandbox: SandboxEndpoints;
let workspace: string;
let registryProxy: FaultProxy;
let awsProxy: FaultProxy;
let github: GitHubStandIn;

beforeAll(async () => {
  sandbox = await ensureSandbox();
  workspace = mkdtempSync(join(tmpdir(), 'security-secrets-'));
  mkdirSync(join(workspace, '.github'));
  registryProxy = await startFaultProxy({
    targets: { registry: { url: `http://${sandbox.registries.basic.directHost}`, kind: 'registry' } },
  });
  awsProxy = await startFaultProxy({ targets: { aws: { url: UNREACHABLE, kind: 'aws' } } });
  // A GitHub that knows none of our tokens: every call answers 401.
  github = await startGitHubStandIn({ repositories: ['octo-org/octo-repo'], log: () => undefined });
}, 600_000);

afterAll(async () => {
  await registryProxy?.close();
  await awsProxy?.close();
  await github?.close();
  if (workspace) rmSync(workspace, { recursive: true, force: true });
});

describe('secrets on error paths', () => {
  it('the leak check finds raw, base64, user:pass base64 and URL-encoded forms', () => {
    const value = secrets.registryPassword;
    const fake = (text: string): ActionRun =>
      ({ stdout: `::add-mask::${value}\n${text}`, stderr: '', summary: '', outputs: {} }) as unknown as ActionRun;
    expect(findLeaks(fake('nothing here'), [value])).toEqual([]);
    for (const form of [
      value,
      Buffer.from(value).toString('base64'),
      Buffer.from(`${REGISTRY_USER}:${value}`).toString('base64'),
      encodeURIComponent(value),
    ]) {
      expect(findLeaks(fake(`Authorization: ${form}`), [value])).toHaveLength(1);
    }
  });

  describe('retag-promote', () => {
    const base = () => ({
      services: 'api',
      image: `{registry}/sec-${randomBytes(3).toString('hex')}/{service}`,
      'registry-type': 'oci',
      'registry-username': REGISTRY_USER,
      'registry-password': secrets.registryPassword,
      'source-tag': 'v9.9.9-rc.1',
      'target-tags': 'v9.9.9',
      'notify-webhook': `http://127.0.0.1:9/hooks/${secrets.webhookToken}`,
      'github-token': secrets.githubToken,
    });
    const env = { GITHUB_API_URL: UNREACHABLE, AWS_ENDPOINT_URL: UNREACHABLE, AWS_MAX_ATTEMPTS: '1' };
    const all = () => [secrets.registryPassword, secrets.webhookToken, secrets.githubToken];

    it('wrong registry password (401 from the registry) and a failing webhook: no secret leaks', async () => {
      const run = await runActionBundle({
        action: 'retag-promote',
        inputs: { ...base(), registry: sandbox.registries.basic.directHost },
        env,
        token: secrets.githubToken,
      });
      expect(run.exitCode).toBe(1);
      expect(run.masks).toEqual(expect.arrayContaining([secrets.registryPassword]));
      expect(errorOf(run)).toMatch(/denied .*HTTP 401/);
      expect(findLeaks(run, all())).toEqual([]);
    }, 120_000);

    it('registry answering 500 to everything: no secret leaks', async () => {
      const admin = createFaultProxyClient(registryProxy.adminUrl);
      const [rule] = await admin.addRules({ target: 'registry', status5xx: 1000 });
      try {
        const run = await runActionBundle({
          action: 'retag-promote',
          inputs: { ...base(), registry: new URL(registryProxy.urls.registry!).host },
          env,
          token: secrets.githubToken,
          timeoutMs: 180_000,
        });
        expect(run.exitCode).toBe(1);
        expect(errorOf(run)).toMatch(/HTTP 500/);
        expect(findLeaks(run, all())).toEqual([]);
      } finally {
        await admin.removeRule(rule!.id);
      }
    }, 200_000);

    it('registry unreachable: no secret leaks', async () => {
      const run = await runActionBundle({
        action: 'retag-promote',
        inputs: { ...base(), registry: '127.0.0.1:9' },
        env,
        token: secrets.githubToken,
      });
      expect(run.exitCode).toBe(1);
      expect(errorOf(run)).toMatch(/Could not read manifest 127\.0\.0\.1:9\//);
      expect(findLeaks(run, all())).toEqual([]);
    }, 120_000);
  });

  describe('deploy-pr-env', () => {
    // A real image in the sandbox registry, healthy: the deploy takes its default path (both waits) up to AWS.
    const image = { repository: '', digest: '' };
    beforeAll(async () => {
      const { basic } = sandbox.registries;
      const pushed = await pushBehaviourImage(
        connectBasicRegistry(sandbox),
        'security-secrets/app',
        'pr-4343',
        'healthy',
      );
      image.repository = `${basic.host}/security-secrets/app`;
      image.digest = pushed.digest;
    }, 300_000);

    const file = (domain: string) => `domain: ${domain}
cluster: previews
listener-arn: arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/previews/abc/def
vpc-id: vpc-12345678
priority-range: 1000-1999
image-repository: ${image.repository}
services:
  - name: api
    port: 8000
    paths: [/api/*]
`;
    const all = () => [
      secrets.cloudflareToken,
      secrets.basicAuthSecret,
      secrets.registryPassword,
      secrets.githubToken,
      secrets.awsSecretKey,
    ];

    async function deploy(contents: string, extra: Record<string, string> = {}) {
      const name = `sec-${randomBytes(4).toString('hex')}.yml`;
      writeFileSync(join(workspace, '.github', name), contents);
      return runActionBundle({
        action: 'deploy-pr-env',
        workspace,
        event: pullRequestEvent('opened', { number: 4343 }),
        inputs: {
          'environment-file': `.github/${name}`,
          'cloudflare-api-token': secrets.cloudflareToken,
          'cloudflare-zone-id': 'zone-does-not-exist',
          'basic-auth': 'true',
          'basic-auth-secret': secrets.basicAuthSecret,
          'registry-username': REGISTRY_USER,
          'registry-password': secrets.registryPassword,
          'github-token': secrets.githubToken,
          'wait-timeout': '30',
          images: JSON.stringify({ api: { digest: image.digest } }),
          ...extra,
        },
        env: {
          AWS_ENDPOINT_URL: awsProxy.urls.aws!,
          AWS_REGION: 'us-east-1',
          AWS_ACCESS_KEY_ID: 'AKIASECRETSTEST',
          AWS_SECRET_ACCESS_KEY: secrets.awsSecretKey,
          AWS_MAX_ATTEMPTS: '1',
          CLOUDFLARE_BASE_URL: `${sandbox.cloudflare.directBaseUrl}`,
          GITHUB_API_URL: github.url,
          GITHUB_GRAPHQL_URL: github.graphqlUrl,
        },
        token: secrets.githubToken,
        timeoutMs: 120_000,
      });
    }

    it('an invalid environment file: no secret leaks', async () => {
      const run = await deploy(`${file('previews.example.test')}ttl-hour: 3\n`);
      expect(run.exitCode).toBe(1);
      expect(errorOf(run)).toMatch(/ttl-hour: unknown key/);
      expect(findLeaks(run, all())).toEqual([]);
    }, 120_000);

    it('AWS unreachable after the inputs are read: no secret leaks', async () => {
      const run = await deploy(file('previews.example.test'));
      expect(run.exitCode).toBe(1);
      expect(errorOf(run)).toMatch(/^deploy-pr-env failed: /);
      expect(run.masks).toEqual(expect.arrayContaining([secrets.cloudflareToken, secrets.basicAuthSecret]));
      expect(findLeaks(run, all())).toEqual([]);
    }, 120_000);

    it('a Cloudflare token the API rejects (dns-mode record, zone looked up first): no secret leaks', async () => {
      const run = await deploy(file(sandbox.cloudflare.zoneName), { 'cloudflare-zone-id': '' });
      expect(run.exitCode).toBe(1);
      expect(errorOf(run)).toMatch(
        /^deploy-pr-env failed: Cloudflare rejected the API token \(401: Authentication error \(code 10000\)\): pass a valid API token as cloudflare-api-token/,
      );
      expect(findLeaks(run, all())).toEqual([]);
    }, 120_000);
  });

  describe('GitHub-token actions against a GitHub that rejects the token', () => {
    const env = () => ({ GITHUB_API_URL: github.url, GITHUB_GRAPHQL_URL: github.graphqlUrl });

    it('classify-tag require-same-commit: no token leaks', async () => {
      const run = await runActionBundle({
        action: 'classify-tag',
        inputs: { tag: 'v1.2.0', 'require-same-commit': 'true', 'github-token': secrets.githubToken },
        env: env(),
        token: secrets.githubToken,
      });
      expect(errorOf(run)).toMatch(/Bad credentials/);
      expect(findLeaks(run, [secrets.githubToken])).toEqual([]);
    }, 60_000);

    it('post-pr-comment: no token leaks', async () => {
      const run = await runActionBundle({
        action: 'post-pr-comment',
        event: pullRequestEvent('synchronize', { number: 1 }),
        inputs: {
          status: 'deployed',
          'github-token': secrets.githubToken,
          'basic-auth': `preview:${secrets.basicAuthSecret}`,
        },
        env: env(),
        token: secrets.githubToken,
      });
      expect(run.exitCode).toBe(1);
      expect(errorOf(run)).toMatch(/Bad credentials/);
      expect(findLeaks(run, [secrets.githubToken, secrets.basicAuthSecret])).toEqual([]);
    }, 60_000);
  });
  describe('the other actions that hold secrets', () => {
    const offlineAws = () => ({
      AWS_ENDPOINT_URL: UNREACHABLE,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIASECRETSTEST',
      AWS_SECRET_ACCESS_KEY: secrets.awsSecretKey,
      AWS_MAX_ATTEMPTS: '1',
    });

    it('build-double-tag with a registry that rejects the password: no secret leaks', async () => {
      const run = await runActionBundle({
        action: 'build-double-tag',
        workspace,
        inputs: {
          services: 'api',
          registry: new URL(registryProxy.urls.registry!).host,
          image: `{registry}/sec-${randomBytes(3).toString('hex')}/{service}`,
          'version-tag': 'v9.9.9-rc.1',
          'registry-username': REGISTRY_USER,
          'registry-password': secrets.registryPassword,
        },
        env: { GITHUB_API_URL: UNREACHABLE },
        token: secrets.githubToken,
        timeoutMs: 120_000,
      });
      expect(run.exitCode).toBe(1);
      expect(errorOf(run)).toMatch(/^build-double-tag failed: Registry \S+ denied .* \(HTTP 401\)/);
      expect(findLeaks(run, [secrets.registryPassword, secrets.githubToken])).toEqual([]);
    }, 120_000);

    const cleanupInputs = () => ({
      cluster: sandbox.seeded.clusters.previews,
      'listener-arn': sandbox.seeded.loadBalancer.httpsListenerArn,
      'cloudflare-api-token': secrets.cloudflareToken,
      'redis-url': `redis://:${secrets.redisPassword}@127.0.0.1:9/0`,
      'github-token': secrets.githubToken,
    });
    const cleanupSecrets = [secrets.cloudflareToken, secrets.redisPassword, secrets.githubToken, secrets.awsSecretKey];

    it('cleanup-stale with AWS unreachable: no secret leaks', async () => {
      const run = await runActionBundle({
        action: 'cleanup-stale',
        event: scheduleEvent('17 */6 * * *'),
        inputs: { ...cleanupInputs(), 'cloudflare-zone-id': 'zone-does-not-exist' },
        env: { ...offlineAws(), GITHUB_API_URL: github.url, GITHUB_GRAPHQL_URL: github.graphqlUrl },
        token: secrets.githubToken,
        timeoutMs: 120_000,
      });
      expect(run.exitCode).toBe(1);
      expect(errorOf(run)).toMatch(/^cleanup-stale failed: /);
      expect(findLeaks(run, cleanupSecrets)).toEqual([]);
    }, 120_000);

    it('cleanup-stale tearing down one PR, GitHub rejecting the token: no secret leaks', async () => {
      const run = await runActionBundle({
        action: 'cleanup-stale',
        event: pullRequestEvent('closed', { number: 4343 }),
        inputs: { ...cleanupInputs(), 'pr-number': '4343', 'redis-url': '', notify: 'true' },
        env: {
          AWS_ENDPOINT_URL: sandbox.aws.directUrl,
          AWS_REGION: sandbox.aws.region,
          AWS_ACCESS_KEY_ID: sandbox.aws.accessKeyId,
          AWS_SECRET_ACCESS_KEY: sandbox.aws.secretAccessKey,
          GITHUB_API_URL: github.url,
          GITHUB_GRAPHQL_URL: github.graphqlUrl,
        },
        token: secrets.githubToken,
        timeoutMs: 120_000,
      });
      expect(run.exitCode).toBe(1);
      expect(`${errorOf(run)} ${run.summary}`).toMatch(/GitHub rejected the token|Bad credentials|HTTP 401/);
      expect(findLeaks(run, cleanupSecrets)).toEqual([]);
    }, 120_000);

    it('scale-schedule with AWS unreachable: the AWS secret key does not leak', async () => {
      const run = await runActionBundle({
        action: 'scale-schedule',
        event: scheduleEvent('0 17 * * 1-5'),
        inputs: { cluster: 'previews', mode: 'down' },
        env: offlineAws(),
        timeoutMs: 120_000,
      });
      expect(run.exitCode).toBe(1);
      expect(errorOf(run)).toMatch(/^scale-schedule failed: /);
      expect(findLeaks(run, [secrets.awsSecretKey])).toEqual([]);
    }, 120_000);

    it('pr-command against a GitHub that rejects the token: no token leaks', async () => {
      const run = await runActionBundle({
        action: 'pr-command',
        event: issueCommentEvent('created', {
          repository: 'octo-org/octo-repo',
          number: 1,
          body: '/deploy',
          author: 'octocat',
        }),
        repository: 'octo-org/octo-repo',
        inputs: { 'github-token': secrets.githubToken },
        env: { GITHUB_API_URL: github.url, GITHUB_GRAPHQL_URL: github.graphqlUrl },
        token: secrets.githubToken,
      });
      expect(run.exitCode).toBe(1);
      expect(run.outputs.allowed).toBe('false');
      expect(errorOf(run)).toMatch(/HTTP 401/);
      expect(findLeaks(run, [secrets.githubToken])).toEqual([]);
    }, 60_000);
  });
});
