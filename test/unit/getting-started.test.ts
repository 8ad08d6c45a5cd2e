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

  it.each(templates)('%s hard-codes no cluster, log group or time zone (each is a variable with a default)', (t) => {
    const text = readFileSync(join(templatesDir, t), 'utf8');
    const fixed = [...text.matchAll(/^\s*(cluster|log-group|timezone):\s*(.+)$/gm)]
      .filter((m) => !m[2]!.includes('vars.'))
      .map((m) => m[0].trim());
    expect(fixed).toEqual([]);
  });
});
