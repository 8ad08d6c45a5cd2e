import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { repoRoot } from '../harness/paths.js';

// Attacker-controlled text (titles, branch names, comment bodies) expanded by the runner straight into a
// `run:` script is shell injection; it must reach scripts through `env:` instead.
const UNTRUSTED = /\$\{\{[^}]*\bgithub\s*\.\s*(event\s*\.|head_ref\b)/;

function listYamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return listYamlFiles(path);
    return /\.ya?ml$/.test(name) ? [path] : [];
  });
}

function listChecked(): string[] {
  const stubs = readdirSync(repoRoot)
    .map((name) => join(repoRoot, name, 'action.yml'))
    .filter((path) => existsSync(path));
  const actions = readdirSync(join(repoRoot, 'actions'))
    .map((name) => join(repoRoot, 'actions', name, 'action.yml'))
    .filter((path) => existsSync(path));
  return [...listYamlFiles(join(repoRoot, '.github')), ...stubs, ...actions];
}

/** Every `run:` script in a parsed YAML tree, with its path in the document. */
function collectRunScripts(node: unknown, path: string, found: { path: string; script: string }[]): void {
  if (Array.isArray(node)) node.forEach((item, i) => collectRunScripts(item, `${path}[${i}]`, found));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'run' && typeof value === 'string') found.push({ path: `${path}.run`, script: value });
      else collectRunScripts(value, `${path}.${key}`, found);
    }
  }
}

describe('workflow files', () => {
  const files = listChecked();

  it('covers .github, the root stubs and every action.yml', () => {
    const names = files.map((f) => relative(repoRoot, f));
    expect(names.some((n) => n.startsWith('.github/workflows/'))).toBe(true);
    expect(names.some((n) => n.startsWith('.github/workflow-templates/'))).toBe(true);
    expect(names).toEqual(expect.arrayContaining(['deploy-pr-env/action.yml', 'actions/deploy-pr-env/action.yml']));
  });

  it('no run: script expands ${{ github.event.* }} or ${{ github.head_ref }}', () => {
    const offenders: string[] = [];
    let scripts = 0;
    for (const file of files) {
      const documents = parseAllDocuments(readFileSync(file, 'utf8'));
      for (const document of documents) {
        expect({ file: relative(repoRoot, file), errors: document.errors.map(String) }).toEqual({
          file: relative(repoRoot, file),
          errors: [],
        });
        const found: { path: string; script: string }[] = [];
        collectRunScripts(document.toJS(), '', found);
        scripts += found.length;
        for (const { path, script } of found) {
          if (UNTRUSTED.test(script)) offenders.push(`${relative(repoRoot, file)} ${path}: ${script.split('\n')[0]}`);
        }
      }
    }
    expect(scripts).toBeGreaterThan(0);
    expect(offenders).toEqual([]);
  });

  it('the check itself catches the injectable forms', () => {
    expect(UNTRUSTED.test('echo "${{ github.event.pull_request.title }}"')).toBe(true);
    expect(UNTRUSTED.test('git checkout ${{github.head_ref}}')).toBe(true);
    expect(UNTRUSTED.test('echo "${{ github.sha }}"')).toBe(false);
  });
});
