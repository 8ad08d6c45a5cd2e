import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';

const root = join(import.meta.dirname, '..', '..');
const templatesDir = join(root, '.github', 'workflow-templates');
const templates = readdirSync(templatesDir).filter((f) => f.endsWith('.yml'));
const guide = readFileSync(join(root, 'docs', 'getting-started.md'), 'utf8');

describe('docs/getting-started.md', () => {
  it.each(templates)('names %s and every variable and secret it reads', (template) => {
    const text = readFileSync(join(templatesDir, template), 'utf8');
    const names = [...new Set([...text.matchAll(/\b(?:vars|secrets)\.([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]!))];
    expect(guide).toContain(`\`${template}\``);
    const missing = names.filter((name) => !guide.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });

  it('says of each variable and secret exactly which templates read it', () => {
    const readers = new Map<string, Set<string>>();
    for (const template of templates) {
      const text = readFileSync(join(templatesDir, template), 'utf8');
      for (const m of text.matchAll(/\b(?:vars|secrets)\.([A-Z][A-Z0-9_]*)/g)) {
        (readers.get(m[1]!) ?? readers.set(m[1]!, new Set()).get(m[1]!)!).add(template.replace(/\.yml$/, ''));
      }
    }
    const rows = [...guide.matchAll(/^\| `([A-Z][A-Z0-9_]*)` +\| (?:variable|secret) +\| ([^|]+)\|/gm)];
    expect(rows.map((r) => r[1]).sort()).toEqual([...readers.keys()].sort());
    for (const [, name, readBy] of rows) {
      const documented = readBy!
        .split(',')
        .map((t) => t.trim())
        .sort();
      expect({ name, readBy: documented }).toEqual({ name, readBy: [...readers.get(name!)!].sort() });
    }
  });

  it.each(templates)('%s hard-codes no cluster, log group or time zone (each is a variable with a default)', (t) => {
    const text = readFileSync(join(templatesDir, t), 'utf8');
    const fixed = [...text.matchAll(/^\s*(cluster|log-group|timezone):\s*(.+)$/gm)]
      .filter((m) => !m[2]!.includes('vars.'))
      .map((m) => m[0].trim());
    expect(fixed).toEqual([]);
  });
});
