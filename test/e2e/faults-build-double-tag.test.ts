import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OciClient } from '@preview-actions/core/registry';
import { runActionBundle, type ActionRun } from '../harness/index.js';
import { ensureSandbox } from '../sandbox/ensure.js';
import type { SandboxEndpoints } from '../sandbox/endpoints.js';
import { createFaultProxyClient, type FaultProxyClient } from '../sandbox/fault-proxy/client.js';
import type { FaultRuleSpec } from '../sandbox/fault-proxy/rules.js';
import { startFaultProxy, type FaultProxy } from '../sandbox/fault-proxy/server.js';
import { countMutatingCalls, expectOneClearOutcome, withFaultRules } from './fault-outcomes.js';
import { pushImage } from './registry-fixtures.js';

// build-double-tag (bundled, buildah) against the basic-auth registry through a PRIVATE fault proxy.
// buildah pushes through the proxy like any client: the proxy listens on 127.0.0.1 over plain http, and
// the action already passes --tls-verify=false for loopback hosts (defaultScheme), so nothing extra is set.
// Every run ends in success or one clear error; a re-run converges to the version, env and sha tags on
// ONE digest; tags we do not own (in the same repository and in another one) never move.
const run = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
// Its own service name: buildah's local image name is per service, so it must not clash with release-flow.
const SERVICE = `fbt${run}`;
const SHA = 'fa17ed0123456789abcdef0123456789abcdef01';
const VERSION = 'v3.1.4-rc.1';
const TAGS = [VERSION, 'test', `sha-${SHA.slice(0, 7)}`];
const MANIFEST_PUT = 'PUT /v2/{name}/manifests/{reference}';

let sandbox: SandboxEndpoints;
let proxy: FaultProxy;
let faults: FaultProxyClient;
let direct: OciClient;
let workspace: string;
const foreign: { repository: string; tag: string; digest: string }[] = [];

function build(prefix: string): Promise<ActionRun> {
  const { username, password } = sandbox.registries.basic;
  return runActionBundle({
    action: 'build-double-tag',
    sha: SHA,
    workspace,
    inputs: {
      services: SERVICE,
      'version-tag': VERSION,
      'env-tag': 'test',
      builder: 'buildah',
      registry: `${new URL(proxy.urls.registry!).host}/${prefix}`,
      'registry-username': username,
      'registry-password': password,
    },
    env: { STORAGE_DRIVER: 'vfs', BUILDAH_ISOLATION: 'chroot' },
    timeoutMs: 300_000,
  });
}

/** Where each of our tags points, read straight from the registry. */
async function readTags(prefix: string): Promise<Record<string, string | undefined>> {
  const result: Record<string, string | undefined> = {};
  for (const tag of TAGS) result[tag] = (await direct.headManifest(`${prefix}/${SERVICE}`, tag))?.digest;
  return result;
}

/** A tag we do not own beside ours in the scenario's repository. */
async function seedForeignTag(prefix: string): Promise<void> {
  const pushed = await pushImage(direct, `${prefix}/${SERVICE}`, `keep-${prefix}`, 'keep-me');
  foreign.push({ repository: `${prefix}/${SERVICE}`, tag: 'keep-me', digest: pushed.digest });
}

/** The re-run succeeded and every tag points at the one digest it reports. */
async function expectConverged(prefix: string, rerun: ActionRun): Promise<void> {
  expect(rerun.annotations.filter((a) => a.level === 'error')).toEqual([]);
  expect(rerun.exitCode).toBe(0);
  const images = JSON.parse(rerun.outputs.images!) as Record<string, { digest: string; tags: string[] }>;
  const digest = images[SERVICE]!.digest;
  expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  expect(images[SERVICE]!.tags).toEqual(TAGS);
  expect(await readTags(prefix)).toEqual(Object.fromEntries(TAGS.map((tag) => [tag, digest])));
}

beforeAll(async () => {
  sandbox = await ensureSandbox();
  const { directHost, username, password } = sandbox.registries.basic;
  proxy = await startFaultProxy({ targets: { registry: { url: `http://${directHost}`, kind: 'registry' } } });
  faults = createFaultProxyClient(proxy.adminUrl);
  direct = new OciClient({ host: directHost, credentials: { username, password }, maskSecret: () => undefined });
  workspace = mkdtempSync(join(tmpdir(), 'faults-build-'));
  mkdirSync(join(workspace, 'services', SERVICE), { recursive: true });
  writeFileSync(join(workspace, 'services', SERVICE, 'hello.txt'), `${SERVICE}\n`);
  writeFileSync(join(workspace, 'services', SERVICE, 'Dockerfile'), 'FROM scratch\nCOPY hello.txt /hello.txt\n');
  // Another repository's image under the very env tag we write.
  const other = await pushImage(direct, `foreign-${run}/${SERVICE}`, `foreign-${run}`, 'test');
  foreign.push({ repository: `foreign-${run}/${SERVICE}`, tag: 'test', digest: other.digest });
}, 300_000);

afterAll(async () => {
  await proxy?.close();
  if (workspace) rmSync(workspace, { recursive: true, force: true });
});

describe('build-double-tag through registry faults', () => {
  let tagWrites = 0;

  it('a clean run pushes one build and writes the other two tags as manifest copies (the baseline)', async () => {
    const prefix = `fbt-${run}-base`;
    await seedForeignTag(prefix);
    await faults.reset();
    const result = await build(prefix);
    await expectConverged(prefix, result);
    // buildah's own manifest push, then one copy per further tag
    tagWrites = await countMutatingCalls(faults, 'registry', MANIFEST_PUT);
    expect(tagWrites).toBe(TAGS.length);
  }, 300_000);

  const storms: [string, FaultRuleSpec[]][] = [
    ['a throttling storm (12 × 429 with retry-after)', [{ target: 'registry', throttle: 12, retryAfterSeconds: 0.2 }]],
    ['a 5xx burst (6 × 503)', [{ target: 'registry', status5xx: { times: 6, code: 503 } }]],
    ['connection resets (5)', [{ target: 'registry', reset: 5 }]],
    [
      'resets after the registry stored manifest writes (3)',
      [{ target: 'registry', operation: MANIFEST_PUT, reset: 3, afterForward: true }],
    ],
  ];
  storms.forEach(([name, rules], i) => {
    it(`${name}: success or one clear error, and a re-run converges to three tags on one digest`, async () => {
      const prefix = `fbt-${run}-storm${i}`;
      await seedForeignTag(prefix);
      const faulted = await withFaultRules(faults, rules, () => build(prefix));
      expectOneClearOutcome(faulted);
      await expectConverged(prefix, await build(prefix));
    }, 600_000);
  });

  it('the two tag copies after the push answered 500 through every retry: one clear error, and a re-run reuses the pushed build', async () => {
    const prefix = `fbt-${run}-copies`;
    await seedForeignTag(prefix);
    // buildah's push (the 1st manifest write) goes through; the 2nd to 11th (2 copies × 5 attempts) fail
    const rules = Array.from({ length: 10 }, (_, i) => ({
      target: 'registry',
      operation: MANIFEST_PUT,
      failNthMutating: i + 2,
    }));
    const faulted = await withFaultRules(faults, rules, () => build(prefix));
    expectOneClearOutcome(faulted);
    expect(faulted.exitCode).toBe(1);
    const rerun = await build(prefix);
    await expectConverged(prefix, rerun);
    expect(JSON.parse(rerun.outputs.images!)[SERVICE].outcome).toBe('reused');
  }, 600_000);

  it('a 500 on the k-th manifest write, for every k, before or after the registry applied it: a re-run converges', async () => {
    expect(tagWrites).toBe(TAGS.length);
    const outcomes: string[] = [];
    for (let k = 1; k <= tagWrites; k++) {
      for (const afterForward of [false, true]) {
        const prefix = `fbt-${run}-k${k}${afterForward ? 'a' : 'b'}`;
        await seedForeignTag(prefix);
        const rule: FaultRuleSpec = { target: 'registry', operation: MANIFEST_PUT, failNthMutating: k, afterForward };
        const faulted = await withFaultRules(faults, [rule], () => build(prefix));
        expectOneClearOutcome(faulted);
        const rerun = await build(prefix);
        outcomes.push(`k=${k}${afterForward ? ' after' : ''}: first ${faulted.exitCode}, rerun ${rerun.exitCode}`);
        await expectConverged(prefix, rerun);
      }
    }
    expect(outcomes).toHaveLength(tagWrites * 2);
  }, 900_000);

  it('tags we do not own, in our repositories and in another one, are unchanged after every fault above', async () => {
    expect(foreign.length).toBeGreaterThan(1);
    for (const tag of foreign) {
      expect({ ...tag, now: (await direct.headManifest(tag.repository, tag.tag))?.digest }).toEqual({
        ...tag,
        now: tag.digest,
      });
    }
  }, 60_000);
});
