import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import type { RegistryEndpoint, SandboxEndpoints } from '../sandbox/endpoints.js';
import { ensureSandbox } from '../sandbox/ensure.js';

const run = promisify(execFile);

let sandbox: SandboxEndpoints;
let workDir: string;
let layoutDir: string;
let manifestDigest: string;

function sha256(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

function writeBlob(data: Buffer | string): { digest: string; size: number } {
  const digest = sha256(data);
  writeFileSync(join(layoutDir, 'blobs/sha256', digest.slice('sha256:'.length)), data);
  return { digest, size: Buffer.byteLength(data) };
}

/** A one-layer image in an OCI layout, written by hand: a config blob, one gzipped layer, a manifest, an index. */
async function writeTinyImageLayout(): Promise<string> {
  layoutDir = join(workDir, 'layout');
  mkdirSync(join(layoutDir, 'blobs/sha256'), { recursive: true });
  const rootfs = join(workDir, 'rootfs');
  mkdirSync(rootfs);
  writeFileSync(join(rootfs, 'hello.txt'), `hello from the sandbox ${Date.now()}\n`);
  await run('tar', ['-C', rootfs, '-cf', join(workDir, 'layer.tar'), 'hello.txt']);
  const layerTar = readFileSync(join(workDir, 'layer.tar'));
  const layer = writeBlob(gzipSync(layerTar));
  const config = writeBlob(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: { Cmd: ['/hello.txt'] },
      rootfs: { type: 'layers', diff_ids: [sha256(layerTar)] },
    }),
  );
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...layer }],
  });
  const manifestBlob = writeBlob(manifest);
  writeFileSync(join(layoutDir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  writeFileSync(
    join(layoutDir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          ...manifestBlob,
          annotations: { 'org.opencontainers.image.ref.name': 'v1' },
        },
      ],
    }),
  );
  return manifestBlob.digest;
}

function writeAuthFile(name: string, registry: RegistryEndpoint): string {
  const path = join(workDir, `${name}-auth.json`);
  const auth = Buffer.from(`${registry.username}:${registry.password}`).toString('base64');
  writeFileSync(path, JSON.stringify({ auths: { [registry.host]: { auth } } }), { mode: 0o600 });
  return path;
}

async function runSkopeo(args: string[]) {
  // No user auth files: only what a test passes counts.
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: workDir, XDG_RUNTIME_DIR: workDir };
  return run('skopeo', ['--insecure-policy', ...args], { env, timeout: 60_000 });
}

beforeAll(async () => {
  sandbox = await ensureSandbox();
  workDir = mkdtempSync(join(tmpdir(), 'sandbox-registry-'));
  manifestDigest = await writeTinyImageLayout();
}, 900_000);

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe.each(['basic', 'token'] as const)('sandbox registry "%s"', (kind) => {
  const registry = () => sandbox.registries[kind];
  const reference = () => `docker://${registry().host}/sandbox-fidelity/tiny:${kind}-${process.pid}`;

  it('skopeo pushes a hand-made OCI image with the sandbox credentials and inspects it back', async () => {
    const authFile = writeAuthFile(kind, registry());
    await runSkopeo([
      'copy',
      '--preserve-digests',
      '--dest-tls-verify=false',
      '--dest-authfile',
      authFile,
      `oci:${layoutDir}:v1`,
      reference(),
    ]);
    try {
      const { stdout } = await runSkopeo([
        'inspect',
        '--raw',
        '--tls-verify=false',
        '--authfile',
        authFile,
        reference(),
      ]);
      expect(sha256(stdout)).toBe(manifestDigest);
      const inspected = await runSkopeo(['inspect', '--tls-verify=false', '--authfile', authFile, reference()]);
      expect(JSON.parse(inspected.stdout)).toMatchObject({ Digest: manifestDigest, Os: 'linux' });
    } finally {
      await runSkopeo(['delete', '--tls-verify=false', '--authfile', authFile, reference()]);
    }
  });

  it('refuses anonymous access', async () => {
    const anonymous = await fetch(`http://${registry().host}/v2/`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(kind === 'basic' ? /^Basic / : /^Bearer realm=/);
    await expect(
      runSkopeo(['inspect', '--raw', '--tls-verify=false', '--no-creds', reference()]),
    ).rejects.toMatchObject({ stderr: expect.stringMatching(/unauthorized|authentication required/i) });
  });

  it('refuses wrong credentials', async () => {
    const authFile = writeAuthFile(`${kind}-wrong`, { ...registry(), password: 'not-the-password' });
    await expect(
      runSkopeo(['inspect', '--raw', '--tls-verify=false', '--authfile', authFile, reference()]),
    ).rejects.toMatchObject({
      stderr: expect.stringMatching(/unauthorized|authentication required|invalid username/i),
    });
  });
});

describe('sandbox registry token server', () => {
  const basicAuth = () =>
    `Basic ${Buffer.from(`${sandbox.registries.token.username}:${sandbox.registries.token.password}`).toString('base64')}`;

  async function fetchToken(scope: string): Promise<string> {
    const { realm, service } = sandbox.registries.token;
    const response = await fetch(`${realm}?service=${service}&scope=${encodeURIComponent(scope)}`, {
      headers: { authorization: basicAuth() },
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { token: string }).token;
  }

  it('grants exactly the requested scope: a pull token cannot start an upload, a push token can', async () => {
    const repository = `sandbox-fidelity/scope-${process.pid}`;
    const uploadUrl = `http://${sandbox.registries.token.host}/v2/${repository}/blobs/uploads/`;
    const pullToken = await fetchToken(`repository:${repository}:pull`);
    const denied = await fetch(uploadUrl, { method: 'POST', headers: { authorization: `Bearer ${pullToken}` } });
    expect(denied.status).toBe(401);
    expect(denied.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
    const pushToken = await fetchToken(`repository:${repository}:pull,push`);
    const accepted = await fetch(uploadUrl, { method: 'POST', headers: { authorization: `Bearer ${pushToken}` } });
    expect(accepted.status).toBe(202);
    await fetch(new URL(accepted.headers.get('location')!, uploadUrl), {
      method: 'DELETE',
      headers: { authorization: `Bearer ${pushToken}` },
    });
  });

  it('answers 401 to a token request without credentials', async () => {
    const { realm, service } = sandbox.registries.token;
    const response = await fetch(`${realm}?service=${service}&scope=repository:any:pull`);
    expect(response.status).toBe(401);
  });
});
