import { describe, expect, it } from '@jest/globals';
import { MemoryManifestStore } from '../testing/memory-manifest-store.js';
import { OCI_MANIFEST } from './media-types.js';
import { restoreEnvTag } from './restore-env-tag.js';

const image = (n: number) => ({
  schemaVersion: 2,
  mediaType: OCI_MANIFEST,
  config: { digest: `sha256:${String(n).repeat(64)}` },
});

function store() {
  const s = new MemoryManifestStore();
  const previous = s.add('api', image(1)).digest;
  const ours = s.add('api', image(2), 'prod').digest;
  const theirs = s.add('api', image(3)).digest;
  return { s, previous, ours, theirs };
}

describe('restoreEnvTag', () => {
  it('puts the previous digest back when the tag still holds ours: one HEAD, one GET, one PUT', async () => {
    const { s, previous, ours } = store();
    expect(await restoreEnvTag(s, 'api', 'prod', ours, previous)).toEqual({ state: 'restored' });
    expect(s.tags.get('api:prod')).toBe(previous);
    expect(s.calls).toEqual(['HEAD api:prod', `GET api:${previous}`, 'PUT api:prod']);
  });

  it('leaves a tag someone else moved alone, and writes nothing', async () => {
    const { s, previous, ours, theirs } = store();
    s.tags.set('api:prod', theirs);
    expect(await restoreEnvTag(s, 'api', 'prod', ours, previous)).toEqual({
      state: 'moved-by-someone-else',
      holds: theirs,
    });
    expect(s.tags.get('api:prod')).toBe(theirs);
    expect(s.calls).toEqual(['HEAD api:prod']);
  });

  it('is a no-op when the tag already holds the previous digest (a second rollback)', async () => {
    const { s, previous, ours } = store();
    s.tags.set('api:prod', previous);
    expect(await restoreEnvTag(s, 'api', 'prod', ours, previous)).toEqual({ state: 'already' });
    expect(s.calls).toEqual(['HEAD api:prod']);
  });

  it('fails clearly when the previous manifest was deleted', async () => {
    const { s, ours } = store();
    const gone = `sha256:${'9'.repeat(64)}`;
    await expect(restoreEnvTag(s, 'api', 'prod', ours, gone)).rejects.toThrow(
      `Cannot roll back reg.test/api:prod: its previous manifest ${gone} is gone`,
    );
  });
});
