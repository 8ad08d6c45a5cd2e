import { describe, expect, it } from '@jest/globals';
import { ConfigurationError } from '../action/errors.js';
import { classifyTag, type ClassifyTagRequest, type GitTag, type TagSource } from './classify-tag.js';

const envTags = new Map([
  ['rc', 'test'],
  ['release', 'prod'],
  ['snapshot', 'snapshot'],
]);

function request(tag: string, overrides: Partial<ClassifyTagRequest> = {}): ClassifyTagRequest {
  return { tag, prefix: 'v', envTags, requireRc: true, requireSameCommit: false, ...overrides };
}

function sourceOf(tags: GitTag[], annotated: Record<string, string> = {}): TagSource & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async listTags(prefix) {
      calls.push(`list ${prefix}`);
      return tags.filter((t) => t.name.startsWith(prefix));
    },
    async resolveTagObject(sha) {
      calls.push(`deref ${sha}`);
      const commit = annotated[sha];
      if (!commit) throw new Error(`no tag object ${sha}`);
      return commit;
    },
  };
}

const commit = (name: string, sha: string): GitTag => ({ name, objectSha: sha, objectType: 'commit' });

describe('classifyTag', () => {
  it('classifies an rc without calling the API', async () => {
    const source = sourceOf([]);
    const result = await classifyTag(request('v1.8.0-rc.3'), source);
    expect(result).toMatchObject({
      kind: 'rc',
      base: 'v1.8.0',
      rc: 3,
      envTag: 'test',
      version: '1.8.0-rc.3',
      latestRc: '',
    });
    expect(source.calls).toEqual([]);
  });

  it('normalizes -RC3 to -rc.3', async () => {
    const result = await classifyTag(request('v2.0.0-RC3'), sourceOf([]));
    expect(result.tag).toBe('v2.0.0-rc.3');
  });

  it('finds the newest rc of a release numerically (rc.10 beats rc.9)', async () => {
    const source = sourceOf([
      commit('v1.2.3-rc.9', 'a'.repeat(40)),
      commit('v1.2.3-rc.10', 'b'.repeat(40)),
      commit('v1.2.3-rc.2', 'c'.repeat(40)),
      commit('v1.2.30-rc.99', 'd'.repeat(40)),
      commit('v1.2.3', 'b'.repeat(40)),
    ]);
    const result = await classifyTag(request('v1.2.3'), source);
    expect(result).toMatchObject({
      kind: 'release',
      envTag: 'prod',
      latestRc: 'v1.2.3-rc.10',
      latestRcSha: 'b'.repeat(40),
    });
    expect(source.calls).toEqual(['list v1.2.3']);
  });

  it('dereferences an annotated rc tag to its commit', async () => {
    const source = sourceOf([{ name: 'v1.2.3-rc.1', objectSha: 't'.repeat(40), objectType: 'tag' }], {
      ['t'.repeat(40)]: 'e'.repeat(40),
    });
    const result = await classifyTag(request('v1.2.3'), source);
    expect(result.latestRcSha).toBe('e'.repeat(40));
  });

  it('fails a release without rc when require-rc is on, and says how to fix it', async () => {
    await expect(classifyTag(request('v1.2.3'), sourceOf([]))).rejects.toThrow(
      new ConfigurationError(
        'Release v1.2.3 has no release candidate: push v1.2.3-rc.1 first, or set require-rc: false',
      ),
    );
  });

  it('accepts a release without rc when require-rc is off', async () => {
    const result = await classifyTag(request('v1.2.3', { requireRc: false }), sourceOf([]));
    expect(result).toMatchObject({ kind: 'release', latestRc: '', latestRcSha: '' });
  });

  it('enforces require-same-commit', async () => {
    const tags = [commit('v1.2.3-rc.1', 'a'.repeat(40)), commit('v1.2.3', 'f'.repeat(40))];
    await expect(classifyTag(request('v1.2.3', { requireSameCommit: true }), sourceOf(tags))).rejects.toThrow(
      /points at ffffffffffff, but its newest RC v1.2.3-rc.1 points at aaaaaaaaaaaa/,
    );
    const same = [commit('v1.2.3-rc.1', 'a'.repeat(40)), commit('v1.2.3', 'a'.repeat(40))];
    await expect(classifyTag(request('v1.2.3', { requireSameCommit: true }), sourceOf(same))).resolves.toMatchObject({
      latestRc: 'v1.2.3-rc.1',
    });
  });

  it('maps a snapshot to its env tag and leaves env-tag empty for an unmapped kind', async () => {
    expect((await classifyTag(request('v1.0.0.snap.4'), sourceOf([]))).envTag).toBe('snapshot');
    const partial = new Map([['rc', 'test']]);
    expect((await classifyTag(request('v1.0.0.snap.4', { envTags: partial }), sourceOf([]))).envTag).toBe('');
  });

  it('rejects an env tag that is not a valid image tag', async () => {
    const bad = new Map([['rc', 'te st']]);
    await expect(classifyTag(request('v1.0.0-rc.1', { envTags: bad }), sourceOf([]))).rejects.toThrow(
      /maps rc to 'te st', which is not a valid image tag/,
    );
  });
});
