import { beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../harness/index.js';

// A clean clone of the committed tree, so the test sees what CI sees and never touches the work tree.
let clone: string;

function run(command: string, args: string[]) {
  return spawnSync(command, args, { cwd: clone, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
}

beforeAll(() => {
  clone = join(mkdtempSync(join(tmpdir(), 'check-dist-')), 'repo');
  execFileSync('git', ['clone', '--quiet', '--no-hardlinks', repoRoot, clone]);
  const install = run('pnpm', ['install', '--prefer-offline', '--frozen-lockfile', '--reporter=silent']);
  if (install.status !== 0) throw new Error(`pnpm install in the clone failed:\n${install.stdout}\n${install.stderr}`);
}, 300_000);

describe('check-dist', () => {
  it('passes on the committed tree', () => {
    const result = run('bash', ['scripts/check-dist.sh']);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('every actions/*/dist matches its sources');
    expect(result.status).toBe(0);
  }, 300_000);

  it('fails when a source changed without a rebuild being committed', () => {
    appendFileSync(
      join(clone, 'packages/core/src/tags/parse-tag.ts'),
      '\nexport const staleMarker = "changed without a rebuild";\n',
    );
    appendFileSync(join(clone, 'actions/classify-tag/src/main.ts'), '\nconsole.log("changed without a rebuild");\n');
    const result = run('bash', ['scripts/check-dist.sh']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("the committed dist/ is stale; run 'pnpm build' and commit actions/*/dist");
    expect(result.stderr).toContain('actions/classify-tag/dist/index.js');
  }, 300_000);
});
