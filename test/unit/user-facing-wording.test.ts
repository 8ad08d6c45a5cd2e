import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from '@jest/globals';

const root = join(import.meta.dirname, '..', '..');

function walk(dir: string, accept: (path: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (['node_modules', 'dist', 'lib'].includes(entry)) return [];
    return statSync(path).isDirectory() ? walk(path, accept) : accept(path) ? [path] : [];
  });
}

/**
 * Names that mean something only to the people who wrote this repository: the design notes it grew from
 * ("seed 000", "the seed's 19-hour budget", "the RFC"), tracker numbers ("issue 6") and work-package labels
 * ("(H4)"). A user reads the behaviour instead.
 */
const SHORTHAND = [/\bseed ?0\d\d\b/i, /\bthe seed'?s?\b/i, /\bissue #?\d+\b/i, /\bthe RFC\b/i, /\(H\d{1,2}\)/];

/** What a user reads: docs, READMEs, action metadata and templates, and the sources whose messages they see. */
const files = [
  ...['README.md', 'CHANGELOG.md', 'SECURITY.md'].map((f) => join(root, f)),
  ...walk(join(root, 'docs'), (p) => /\.(md|ya?ml|json)$/.test(p)),
  ...walk(
    join(root, 'actions'),
    (p) => /(README\.md|action\.yml)$/.test(p) || (/\.ts$/.test(p) && !/\.test\.ts$/.test(p)),
  ),
  ...readdirSync(root).flatMap((d) => (existsSync(join(root, d, 'action.yml')) ? [join(root, d, 'action.yml')] : [])),
  ...walk(join(root, '.github', 'workflow-templates'), () => true),
  ...walk(join(root, 'packages', 'core', 'src'), (p) => p.endsWith('.ts') && !p.endsWith('.test.ts')),
].filter(existsSync);

describe('user-facing wording', () => {
  it('reads every kind of user-facing file', () => {
    const kinds = new Set(files.map((f) => relative(root, f).split('/')[0]));
    expect([...kinds]).toEqual(expect.arrayContaining(['README.md', 'docs', 'actions', '.github', 'packages']));
  });

  it('uses no internal shorthand (design-note, issue or work-package names)', () => {
    const found = files.flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, i) =>
          SHORTHAND.some((pattern) => pattern.test(line)) ? [`${relative(root, file)}:${i + 1}: ${line.trim()}`] : [],
        ),
    );
    expect(found).toEqual([]);
  });

  it('the patterns catch what they are for and spare the sandbox vocabulary', () => {
    const hit = (text: string): boolean => SHORTHAND.some((p) => p.test(text));
    for (const text of [
      '(seed 000)',
      'seed 003',
      "the seed's 19-hour budget",
      'issue 6',
      'as in the RFC',
      'layer (H4)',
    ])
      expect(hit(text)).toBe(true);
    for (const text of ['the seeded cluster', 'seedAws()', 'an RFC 3339 time', 'h1 heading'])
      expect(hit(text)).toBe(false);
  });
});
