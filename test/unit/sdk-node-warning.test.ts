import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from '@jest/globals';

const root = join(import.meta.dirname, '..', '..');
const SWITCH = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (entry === 'node_modules') return [];
    return statSync(path).isDirectory() ? walk(path) : /\.(ts|js|yml)$/.test(entry) ? [path] : [];
  });
}

describe("the AWS SDK's Node-version warning", () => {
  it('is switched off in the test process (jest setupFiles)', () => {
    expect(process.env[SWITCH]).toBe('true');
  });

  it('is never switched off by the product: core, the action sources, their bundles and action.yml', () => {
    const product = [join(root, 'packages'), join(root, 'actions')].flatMap(walk);
    expect(product.length).toBeGreaterThan(50);
    // The bundles contain the SDK's own check (`=== "true"`); setting the switch or replacing emitWarning is hiding.
    const sets = new RegExp(`${SWITCH}['"]?\\s*(=(?!=)|:)|process\\.emitWarning\\s*=(?!=)`);
    const hiding = product.filter((file) => sets.test(readFileSync(file, 'utf8'))).map((f) => relative(root, f));
    expect(hiding).toEqual([]);
  });
});
