import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from '@jest/globals';

const root = join(import.meta.dirname, '..', '..');

function walk(dir: string, accept: (path: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (entry === 'node_modules' || entry === 'dist') return [];
    return statSync(path).isDirectory() ? walk(path, accept) : accept(path) ? [path] : [];
  });
}

/** Every `uses:` line a user copies: workflows, templates, and workflow blocks in the docs. */
const files = [
  ...walk(join(root, '.github'), (p) => /\.ya?ml$/.test(p)),
  join(root, 'README.md'),
  ...walk(join(root, 'docs'), (p) => p.endsWith('.md')),
  ...walk(join(root, 'actions'), (p) => p.endsWith('README.md')),
].filter(existsSync);
const uses = files.flatMap((file) =>
  [...readFileSync(file, 'utf8').matchAll(/^\s*(?:- )?uses:\s*(\S+)(.*)$/gm)].map((m) => ({
    where: relative(root, file),
    ref: m[1]!,
    comment: m[2]!.trim(),
  })),
);
const thirdParty = uses.filter((u) => !u.ref.startsWith('./') && !/^[^/]+\/preview-actions\//.test(u.ref));

describe('third-party actions in workflows, templates and docs', () => {
  it('are found (the scan reads the files)', () => {
    expect(thirdParty.length).toBeGreaterThan(10);
  });

  it('are pinned by full commit sha with the release in a comment', () => {
    const unpinned = thirdParty
      .filter((u) => !/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/.test(u.ref) || !/^# v\d+\.\d+\.\d+$/.test(u.comment))
      .map((u) => `${u.where}: ${u.ref} ${u.comment}`);
    expect(unpinned).toEqual([]);
  });

  it('use one sha and one version per action everywhere', () => {
    const pins = new Map<string, Set<string>>();
    for (const u of thirdParty) {
      const name = u.ref.split('@')[0]!;
      pins.set(name, (pins.get(name) ?? new Set()).add(`${u.ref} ${u.comment}`));
    }
    const mixed = [...pins].filter(([, set]) => set.size > 1).map(([name, set]) => `${name}: ${[...set].join(', ')}`);
    expect(mixed).toEqual([]);
  });
});
