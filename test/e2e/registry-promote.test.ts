import { beforeAll, describe, expect, it } from '@jest/globals';
import {
  applyPromotion,
  assertNoConflicts,
  OciClient,
  planPromotion,
  verifyTagsResolveTo,
} from '@preview-actions/core/registry';
import { ConfigurationError } from '@preview-actions/core/action';
import { pushImage, pushIndex } from './registry-fixtures.js';
import { ensureSandbox } from '../sandbox/ensure.js';
import type { RegistryEndpoint } from '../sandbox/endpoints.js';

let registries: Record<'basic' | 'token', RegistryEndpoint>;
/** Repositories are new per run, so reruns against a long-lived sandbox start clean. */
const run = Date.now().toString(36);
/** A cold sandbox start (first run on a machine) takes far longer than jest's hook default. */
const SANDBOX_START_MS = 15 * 60_000;

beforeAll(async () => {
  registries = (await ensureSandbox()).registries;
}, SANDBOX_START_MS);

describe.each(['basic', 'token'] as const)('promotion on the real %s-auth registry', (name) => {
  const masked: string[] = [];
  const client = () =>
    new OciClient({ host: registries[name]!.host, credentials: registries[name]!, maskSecret: (v) => masked.push(v) });

  it('promotes a single-platform image to a version and an env tag with the identical bytes', async () => {
    const c = client();
    const rc = await pushImage(c, `single-${run}/api`, `one-${name}`, 'v1.0.0-rc.1');
    const plan = await planPromotion(c, {
      repository: `single-${run}/api`,
      sourceReference: 'v1.0.0-rc.1',
      targets: [
        { tag: 'v1.0.0', immutable: true },
        { tag: 'prod', immutable: false },
      ],
    });
    expect(plan.targets.map((t) => t.action)).toEqual(['create', 'create']);
    const result = await applyPromotion(plan);
    expect(result.digest).toBe(rc.digest);
    await verifyTagsResolveTo(c, `single-${run}/api`, ['v1.0.0-rc.1', 'v1.0.0', 'prod'], rc.digest);
    expect((await c.getManifest(`single-${run}/api`, 'v1.0.0'))?.bytes.equals(rc.bytes)).toBe(true);
    expect(masked).toContain(registries[name]!.password);
    // On the token registry the bearer JWTs were masked too, which shows the challenge was met with tokens.
    expect(masked.some((v) => v.split('.').length === 3)).toBe(name === 'token');
  });

  it('copies a two-platform index with its attestation whole, and every child resolves', async () => {
    const c = client();
    const { index, children } = await pushIndex(c, `multi-${run}/web`, `idx-${name}`, 'v2.0.0-rc.1');
    const result = await applyPromotion(
      await planPromotion(c, {
        repository: `multi-${run}/web`,
        sourceReference: 'v2.0.0-rc.1',
        targets: [
          { tag: 'v2.0.0', immutable: true },
          { tag: 'staging', immutable: false },
        ],
      }),
    );
    expect(result).toMatchObject({ digest: index.digest, mediaType: 'application/vnd.oci.image.index.v1+json' });
    expect(result.verifiedChildren).toEqual(children.map((ch) => ch.digest));
    const copied = await c.getManifest(`multi-${run}/web`, 'staging');
    expect(copied?.digest).toBe(index.digest);
    expect(copied?.bytes.equals(index.bytes)).toBe(true);
    for (const child of children)
      expect((await c.headManifest(`multi-${run}/web`, child.digest))?.digest).toBe(child.digest);
  });

  it('moves an env tag and records the previous digest; a second run is a no-op', async () => {
    const c = client();
    const old = await pushImage(c, `move-${run}/api`, `old-${name}`, 'prod');
    const rc = await pushImage(c, `move-${run}/api`, `new-${name}`, 'v3.0.0-rc.2');
    const request = {
      repository: `move-${run}/api`,
      sourceReference: 'v3.0.0-rc.2',
      targets: [
        { tag: 'v3.0.0', immutable: true },
        { tag: 'prod', immutable: false },
      ],
    };
    const first = await applyPromotion(await planPromotion(c, request));
    expect(first.targets).toEqual([
      { tag: 'v3.0.0', action: 'create', digest: rc.digest },
      { tag: 'prod', action: 'move', digest: rc.digest, previousDigest: old.digest },
    ]);
    const second = await planPromotion(c, request);
    expect(second.targets.map((t) => t.action)).toEqual(['noop', 'noop']);
  });

  it('detects a version tag holding another digest and writes nothing, as the registry shows', async () => {
    const c = client();
    const existing = await pushImage(c, `conflict-${run}/api`, `released-${name}`, 'v4.0.0');
    await pushImage(c, `conflict-${run}/api`, `candidate-${name}`, 'v4.0.0-rc.1');
    const plan = await planPromotion(c, {
      repository: `conflict-${run}/api`,
      sourceReference: 'v4.0.0-rc.1',
      targets: [
        { tag: 'prod', immutable: false },
        { tag: 'v4.0.0', immutable: true },
      ],
    });
    expect(plan.targets.map((t) => t.action)).toEqual(['create', 'conflict']);
    expect(() => assertNoConflicts([plan])).toThrow(ConfigurationError);
    await expect(applyPromotion(plan)).rejects.toThrow(
      `conflict-${run}/api:v4.0.0 holds ${existing.digest}, not ${plan.source.digest}`,
    );
    expect((await c.headManifest(`conflict-${run}/api`, 'v4.0.0'))?.digest).toBe(existing.digest);
    expect(await c.headManifest(`conflict-${run}/api`, 'prod')).toBeNull();
    expect((await c.listTags(`conflict-${run}/api`)).sort()).toEqual(['v4.0.0', 'v4.0.0-rc.1']);
  });

  it('names a missing source as a configuration error', async () => {
    const c = client();
    await pushImage(c, `missing-${run}/api`, `any-${name}`, 'v5.0.0-rc.1');
    await expect(
      planPromotion(c, {
        repository: `missing-${run}/api`,
        sourceReference: 'v5.0.0-rc.9',
        targets: [{ tag: 'v5.0.0', immutable: true }],
      }),
    ).rejects.toThrow(
      `Source image ${registries[name]!.host}/missing-${run}/api:v5.0.0-rc.9 does not exist: push it first, or fix the source tag`,
    );
  });

  it('mounts blobs across repositories and refuses anonymous and wrong credentials', async () => {
    const c = client();
    const image = await pushImage(c, `mount-${run}/from`, `m-${name}`, 'x');
    const layer = (JSON.parse(image.bytes.toString()) as { layers: { digest: string }[] }).layers[0]!.digest;
    expect(await c.mountBlob(`mount-${run}/to`, layer, `mount-${run}/from`)).toBe(true);
    expect(await c.hasBlob(`mount-${run}/to`, layer)).toBe(true);
    const anonymous = new OciClient({ host: registries[name]!.host, maskSecret: () => undefined });
    await expect(anonymous.headManifest(`mount-${run}/from`, 'x')).rejects.toThrow(
      /wants credentials .* log in with docker\/login-action/,
    );
    const wrong = new OciClient({
      host: registries[name]!.host,
      credentials: { username: registries[name]!.username, password: 'nope' },
      maskSecret: () => undefined,
    });
    const error = (await wrong.headManifest(`mount-${run}/from`, 'x').catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.message).not.toContain('nope');
  });
});
