import { describe, expect, it } from '@jest/globals';
import { ConfigurationError } from '../action/errors.js';
import { applyPromotion } from './apply-promotion.js';
import { sha256Digest } from './digest.js';
import { MemoryManifestStore as MemoryStore } from '../testing/memory-manifest-store.js';
import { OCI_INDEX, OCI_MANIFEST } from './media-types.js';
import { assertNoConflicts, planPromotion } from './plan-promotion.js';
import { verifyTagsResolveTo } from './tag-digests.js';

const image = (n: number) => ({
  schemaVersion: 2,
  mediaType: OCI_MANIFEST,
  config: { digest: `sha256:${String(n).repeat(64)}` },
});

describe('planPromotion + applyPromotion', () => {
  it('creates, moves and skips tags with one HEAD per target and one PUT per write', async () => {
    const store = new MemoryStore();
    const source = store.add('api', image(1), 'v1.0.0-rc.1');
    store.add('api', image(2), 'prod');
    store.tags.set('api:v1.0.0-rc.1-same', source.digest);
    const plan = await planPromotion(store, {
      repository: 'api',
      sourceReference: 'v1.0.0-rc.1',
      targets: [
        { tag: 'v1.0.0', immutable: true },
        { tag: 'prod', immutable: false },
        { tag: 'v1.0.0-rc.1-same', immutable: true },
      ],
    });
    expect(plan.targets.map((t) => t.action)).toEqual(['create', 'move', 'noop']);
    const result = await applyPromotion(plan);
    expect(result.targets).toEqual([
      { tag: 'v1.0.0', action: 'create', digest: source.digest },
      { tag: 'prod', action: 'move', digest: source.digest, previousDigest: sha256Digest(JSON.stringify(image(2))) },
      { tag: 'v1.0.0-rc.1-same', action: 'noop', digest: source.digest, previousDigest: source.digest },
    ]);
    expect(store.calls.sort()).toEqual(
      [
        'GET api:v1.0.0-rc.1',
        'HEAD api:v1.0.0',
        'HEAD api:prod',
        'HEAD api:v1.0.0-rc.1-same',
        'PUT api:v1.0.0',
        'PUT api:prod',
      ].sort(),
    );
    await verifyTagsResolveTo(store, 'api', ['v1.0.0', 'prod'], source.digest);
  });

  it('refuses a version tag holding another digest before writing anything', async () => {
    const store = new MemoryStore();
    store.add('api', image(1), 'rc');
    store.add('api', image(2), 'v1.0.0');
    const plan = await planPromotion(store, {
      repository: 'api',
      sourceReference: 'rc',
      targets: [
        { tag: 'prod', immutable: false },
        { tag: 'v1.0.0', immutable: true },
      ],
    });
    expect(plan.targets.map((t) => t.action)).toEqual(['create', 'conflict']);
    expect(() => assertNoConflicts([plan])).toThrow(ConfigurationError);
    await expect(applyPromotion(plan)).rejects.toThrow(
      /^Version tags are immutable and nothing was written: reg\.test\/api:v1\.0\.0 holds sha256:/,
    );
    expect(store.calls.filter((c) => c.startsWith('PUT'))).toEqual([]);
  });

  it('names a missing source and how to fix it', async () => {
    const store = new MemoryStore();
    await expect(
      planPromotion(store, {
        repository: 'api',
        sourceReference: 'v9-rc.1',
        targets: [{ tag: 'v9', immutable: true }],
      }),
    ).rejects.toThrow('Source image reg.test/api:v9-rc.1 does not exist: push it first, or fix the source tag');
  });

  it('copies an index whole and checks every child, attestations included', async () => {
    const store = new MemoryStore();
    const amd = store.add('api', image(3));
    const arm = store.add('api', image(4));
    const att = store.add('api', image(5));
    const index = store.add(
      'api',
      {
        schemaVersion: 2,
        mediaType: OCI_INDEX,
        manifests: [
          { mediaType: OCI_MANIFEST, digest: amd.digest, platform: { os: 'linux', architecture: 'amd64' } },
          { mediaType: OCI_MANIFEST, digest: arm.digest, platform: { os: 'linux', architecture: 'arm64' } },
          {
            mediaType: OCI_MANIFEST,
            digest: att.digest,
            annotations: { 'vnd.docker.reference.type': 'attestation-manifest' },
          },
        ],
      },
      'rc',
    );
    const result = await applyPromotion(
      await planPromotion(store, {
        repository: 'api',
        sourceReference: 'rc',
        targets: [{ tag: 'v1', immutable: true }],
      }),
    );
    expect(result.digest).toBe(index.digest);
    expect(result.verifiedChildren).toEqual([amd.digest, arm.digest, att.digest]);
    expect(store.tags.get('api:v1')).toBe(index.digest);
  });

  it('fails verification when a child of the index is missing', async () => {
    const store = new MemoryStore();
    store.add(
      'api',
      {
        schemaVersion: 2,
        mediaType: OCI_INDEX,
        manifests: [{ mediaType: OCI_MANIFEST, digest: `sha256:${'9'.repeat(64)}` }],
      },
      'rc',
    );
    const plan = await planPromotion(store, {
      repository: 'api',
      sourceReference: 'rc',
      targets: [{ tag: 'v1', immutable: true }],
    });
    await expect(applyPromotion(plan)).rejects.toThrow(/CHILD_MISSING \(1 of 1 missing: sha256:9{64}\)/);
  });

  it('refuses invalid target tags before any request', async () => {
    const store = new MemoryStore();
    await expect(
      planPromotion(store, { repository: 'api', sourceReference: 'rc', targets: [{ tag: '-x', immutable: true }] }),
    ).rejects.toThrow(/^Target tag is '-x'/);
    expect(store.calls).toEqual([]);
  });
});
