import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';

const script = join(import.meta.dirname, '..', '..', 'scripts', 'move-major-tags.sh');
let dir: string;
let work: string;
let remote: string;

function git(...args: string[]): string {
  const result = spawnSync('git', args, { cwd: work, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
  return result.stdout.trim();
}

/** A commit on the current branch; returns its id. */
function commit(message: string): string {
  git('commit', '--quiet', '--allow-empty', '-m', message);
  return git('rev-parse', 'HEAD');
}

function release(tag: string): { status: number | null; out: string } {
  const result = spawnSync('bash', [script, tag], { cwd: work, encoding: 'utf8' });
  return { status: result.status, out: `${result.stdout}${result.stderr}` };
}

/** Where a tag points on the remote, as a commit id ('' when it does not exist). */
function remoteTag(name: string): string {
  const result = spawnSync('git', ['rev-parse', '--verify', '--quiet', `refs/tags/${name}^{commit}`], {
    cwd: remote,
    encoding: 'utf8',
  });
  return result.stdout.trim();
}

function tagAndPush(tag: string, at = 'HEAD'): void {
  git('tag', tag, at);
  git('push', '--quiet', 'origin', 'main', `refs/tags/${tag}`);
  git('fetch', '--quiet', 'origin');
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'move-major-tags-'));
  remote = join(dir, 'remote.git');
  work = join(dir, 'work');
  spawnSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', remote]);
  spawnSync('git', ['clone', '--quiet', remote, work]);
  git('checkout', '--quiet', '-b', 'main');
  git('config', 'user.name', 'test');
  git('config', 'user.email', 'test@example.com');
  git('config', 'commit.gpgsign', 'false');
  git('config', 'tag.gpgsign', 'false');
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('move-major-tags.sh', () => {
  it('creates v1 and v1.0 for the first release, then moves v1 forward and creates v1.1', () => {
    const first = commit('one');
    tagAndPush('v1.0.0');
    expect(release('v1.0.0').status).toBe(0);
    expect([remoteTag('v1'), remoteTag('v1.0')]).toEqual([first, first]);

    const second = commit('two');
    tagAndPush('v1.1.0');
    const run = release('v1.1.0');
    expect(run.status).toBe(0);
    expect([remoteTag('v1'), remoteTag('v1.1'), remoteTag('v1.0')]).toEqual([second, second, first]);
  });

  it('is a no-op when run again for the same release', () => {
    const first = commit('one');
    tagAndPush('v2.3.4');
    expect(release('v2.3.4').status).toBe(0);
    const again = release('v2.3.4');
    expect(again.status).toBe(0);
    expect(again.out).toContain('v2 is already at v2.3.4');
    expect(remoteTag('v2')).toBe(first);
  });

  it('refuses a release commit that is not on the default branch, and moves nothing', () => {
    commit('one');
    tagAndPush('v1.0.0');
    expect(release('v1.0.0').status).toBe(0);
    git('checkout', '--quiet', '-b', 'side');
    const side = commit('side');
    git('tag', 'v1.0.1', side);
    git('push', '--quiet', 'origin', 'refs/tags/v1.0.1');
    const run = release('v1.0.1');
    expect(run.status).toBe(1);
    expect(run.out).toMatch(/v1\.0\.1 \([0-9a-f]{40}\) is not on origin\/main/);
    expect(remoteTag('v1.0')).toBe(remoteTag('v1.0.0'));
  });

  it('leaves v1 at a later release when an older line gets a patch', () => {
    const first = commit('one');
    tagAndPush('v1.0.0');
    release('v1.0.0');
    const second = commit('two');
    tagAndPush('v1.1.0');
    release('v1.1.0');
    const patch = commit('three');
    tagAndPush('v1.0.1');
    const run = release('v1.0.1');
    expect(run.status).toBe(0);
    expect(run.out).toContain('v1 stays: v1.1.0 is a later release than v1.0.1');
    expect([remoteTag('v1'), remoteTag('v1.0')]).toEqual([second, patch]);
    expect(first).not.toBe(patch);
  });

  it('refuses to move a tag backwards onto a commit its current one does not precede', () => {
    const first = commit('one');
    commit('two');
    tagAndPush('v1.1.0');
    expect(release('v1.1.0').status).toBe(0);
    tagAndPush('v1.2.0', first); // a later version on an older commit
    const run = release('v1.2.0');
    expect(run.status).toBe(1);
    expect(run.out).toMatch(/v1 would move backwards or sideways/);
    expect(remoteTag('v1')).toBe(remoteTag('v1.1.0'));
  });

  it('moves nothing for a pre-release and refuses a tag that is not a version', () => {
    commit('one');
    tagAndPush('v1.0.0-rc.1');
    const rc = release('v1.0.0-rc.1');
    expect(rc.status).toBe(0);
    expect(remoteTag('v1')).toBe('');
    expect(release('latest').status).toBe(1);
  });
});
