import { beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createManifestStore, type ManifestStore } from '@preview-actions/core/registry';
import { runActionBundle, type ActionRun } from '../harness/index.js';
import { ensureSandbox } from '../sandbox/ensure.js';
import { createGitHubAdminClient } from '../standins/github/admin-client.js';
import type { SandboxEndpoints } from '../sandbox/endpoints.js';

// The whole seed-003 flow against the sandbox's real registry (htpasswd auth, through the fault
// proxy): buildah builds two tiny services once, every tag shares one digest, and the release
// promotes exactly that digest.
let sandbox: SandboxEndpoints;
let store: ManifestStore;
let workspace: string;
const namespace = `e2e-${Date.now().toString(36)}`;
const sha = 'c0ffee0123456789abcdef0123456789abcdef01';
let registry = '';

function registryInputs() {
  return {
    registry,
    'registry-username': sandbox.registries.basic.username,
    'registry-password': sandbox.registries.basic.password,
  };
}

async function digestOf(service: string, tag: string): Promise<string | undefined> {
  return (await store.headManifest(`${namespace}/${service}`, tag))?.digest;
}

function build(versionTag: string, services = 'api\nworker=services/worker', commit = sha): Promise<ActionRun> {
  return runActionBundle({
    action: 'build-double-tag',
    sha: commit,
    workspace,
    inputs: { services, 'version-tag': versionTag, 'env-tag': 'test', builder: 'buildah', ...registryInputs() },
    env: { STORAGE_DRIVER: 'vfs', BUILDAH_ISOLATION: 'chroot' },
    timeoutMs: 300_000,
  });
}

function promote(inputs: Record<string, string>): Promise<ActionRun> {
  return runActionBundle({ action: 'retag-promote', inputs: { ...registryInputs(), ...inputs }, env: githubEnv() });
}

function githubEnv() {
  return {
    GITHUB_API_URL: sandbox.github.apiUrl,
    GITHUB_GRAPHQL_URL: sandbox.github.graphqlUrl,
    GITHUB_TOKEN: sandbox.github.token,
  };
}

async function listDeployments(
  environment: string,
): Promise<{ ref: string; payload: Record<string, unknown>; production_environment: boolean }[]> {
  const response = await fetch(
    `${sandbox.github.apiUrl}/repos/octo-org/octo-repo/deployments?environment=${environment}`,
    {
      headers: { authorization: `token ${sandbox.github.token}` },
    },
  );
  return (await response.json()) as never;
}

beforeAll(async () => {
  sandbox = await ensureSandbox();
  registry = `${sandbox.registries.basic.host}/${namespace}`;
  store = await createManifestStore({
    host: sandbox.registries.basic.directHost,
    username: sandbox.registries.basic.username,
    password: sandbox.registries.basic.password,
    maskSecret: () => undefined,
  });
  workspace = mkdtempSync(join(tmpdir(), 'release-flow-'));
  for (const service of ['api', 'worker', 'admin']) {
    mkdirSync(join(workspace, 'services', service), { recursive: true });
    writeFileSync(join(workspace, 'services', service, 'hello.txt'), `${service}\n`);
    writeFileSync(join(workspace, 'services', service, 'Dockerfile'), 'FROM scratch\nCOPY hello.txt /hello.txt\n');
  }
}, 900_000);

describe('build once, promote the same bytes', () => {
  const rcDigests: Record<string, string> = {};

  it('an RC builds each service once; the version, env and sha tags share one digest', async () => {
    const run = await build('v1.2.3-rc.1');
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    const images = JSON.parse(run.outputs.images!) as Record<
      string,
      { digest: string; tags: string[]; outcome: string }
    >;
    expect(Object.keys(images)).toEqual(['api', 'worker']);
    for (const service of ['api', 'worker']) {
      const image = images[service]!;
      expect(image.outcome).toBe('built');
      expect(image.tags).toEqual(['v1.2.3-rc.1', 'test', 'sha-c0ffee0']);
      for (const tag of image.tags) expect(await digestOf(service, tag)).toBe(image.digest);
      rcDigests[service] = image.digest;
    }
    expect(run.masks).toContain(sandbox.registries.basic.password);
    expect(run.stdout.replace(/::add-mask::.*/g, '')).not.toContain(sandbox.registries.basic.password);
  }, 300_000);

  it('a re-run of the same RC reuses the build instead of rebuilding', async () => {
    const run = await build('v1.2.3-rc.1');
    expect(run.exitCode).toBe(0);
    const images = JSON.parse(run.outputs.images!) as Record<string, { digest: string; outcome: string }>;
    expect(images.api).toMatchObject({ digest: rcDigests.api, outcome: 'reused' });
  }, 300_000);

  it('the release promotes exactly the RC digest to v1.2.3 and prod, recorded as a GitHub Deployment', async () => {
    await createGitHubAdminClient(sandbox.github.adminUrl).call('createTag', {
      repo: 'octo-org/octo-repo',
      tag: 'v1.2.3',
    });
    const run = await promote({ services: 'api\nworker', 'source-tag': 'v1.2.3-rc.1', 'target-tags': 'v1.2.3\nprod' });
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.outputs.digests!)).toEqual(rcDigests);
    for (const service of ['api', 'worker']) {
      expect(await digestOf(service, 'v1.2.3')).toBe(rcDigests[service]);
      expect(await digestOf(service, 'prod')).toBe(rcDigests[service]);
    }
    expect(run.summary).toContain('Promotion');
    expect(run.annotations.filter((a) => a.level === 'warning')).toEqual([]);
    const [deployment] = await listDeployments('prod');
    expect(deployment).toMatchObject({ ref: 'v1.2.3', production_environment: true });
    expect(deployment!.payload).toMatchObject({ digests: rcDigests });
  }, 120_000);

  it('an immutability conflict (v1.2.3 already holds another build) fails before any write', async () => {
    const rebuilt = await build('v1.2.4-rc.1', 'api', 'feedface0123456789abcdef0123456789abcdef');
    expect(rebuilt.exitCode).toBe(0);
    const run = await promote({ services: 'api', 'source-tag': 'v1.2.4-rc.1', 'target-tags': 'v1.2.3\nprod' });
    expect(run.exitCode).toBe(1);
    const [error] = run.annotations.filter((a) => a.level === 'error');
    expect(error!.message).toMatch(/Version tags are immutable and nothing was written: .*api:v1\.2\.3 holds sha256:/);
    expect(await digestOf('api', 'prod')).toBe(rcDigests.api);
    expect(await digestOf('api', 'v1.2.3')).toBe(rcDigests.api);
  }, 120_000);

  it('a missing source for one service out of three names it and writes nothing', async () => {
    const run = await promote({
      services: 'api\nworker\nadmin',
      'source-tag': 'v1.2.3-rc.1',
      'target-tags': 'v1.2.3-hotfix\nstaging',
    });
    expect(run.exitCode).toBe(1);
    expect(run.annotations[0]!.message).toMatch(
      /Nothing was written: admin: Source image .*admin:v1\.2\.3-rc\.1 does not exist/,
    );
    expect(await digestOf('api', 'staging')).toBeUndefined();
    expect(await digestOf('worker', 'v1.2.3-hotfix')).toBeUndefined();
  }, 120_000);

  it.each([
    ['a malformed tag', { 'source-tag': 'v1.2.3-rc.1', 'target-tags': 'bad tag' }, /Input 'target-tags' is 'bad tag'/],
    [
      'an unknown registry type',
      { 'source-tag': 'v1.2.3-rc.1', 'target-tags': 'prod', 'registry-type': 'quay' },
      /Input 'registry-type' is 'quay', expected one of auto, ecr, oci/,
    ],
    [
      'an empty service list',
      { services: '', 'source-tag': 'v1.2.3-rc.1', 'target-tags': 'prod' },
      /Input 'services' needs at least one line/,
    ],
    [
      'a target equal to the source',
      { 'source-tag': 'v1.2.3-rc.1', 'target-tags': 'v1.2.3-rc.1' },
      /Target tag 'v1.2.3-rc.1' is the source tag/,
    ],
  ])(
    'rejects %s with one clear line',
    async (_what, inputs, message) => {
      const run = await promote({ services: 'api', ...inputs });
      expect(run.exitCode).toBe(1);
      const errors = run.annotations.filter((a) => a.level === 'error');
      expect(errors).toHaveLength(1);
      expect(errors[0]!.message).toMatch(message);
      expect(run.stdout).not.toMatch(/\n\s+at /);
    },
    60_000,
  );
});
