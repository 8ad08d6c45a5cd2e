/**
 * `pnpm demo` written to a file, as CI logs and `pnpm demo > demo.txt` get it: the pull-request part (four events
 * through the shipped templates, then the PR page) must print plain text (no ANSI escape, no markdown escape, no
 * HTML marker), each run's job/step table, a reason beside every warning, and the HTML page it names.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { repoRoot } from '../harness/paths.js';
import { ensureSandbox } from '../sandbox/ensure.js';

jest.setTimeout(600_000);

let dir: string;
let output: string;
let exitCode: number | null;

beforeAll(async () => {
  await ensureSandbox();
  dir = mkdtempSync(join(tmpdir(), 'demo-output-'));
  const file = join(dir, 'demo.txt');
  const fd = openSync(file, 'w');
  const env = { ...process.env };
  delete env.FORCE_COLOR;
  delete env.NO_COLOR;
  try {
    exitCode = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(join(repoRoot, 'node_modules/.bin/tsx'), ['test/demo/demo.ts', '--part', 'pr'], {
        cwd: repoRoot,
        env,
        stdio: ['ignore', fd, fd],
      });
      child.on('error', reject);
      child.on('exit', (code) => resolve(code));
    });
  } finally {
    closeSync(fd);
  }
  output = readFileSync(file, 'utf8');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('pnpm demo into a file', () => {
  it('finishes, every event as expected', () => {
    if (exitCode !== 0) throw new Error(`the demo exited ${exitCode}:\n${output.slice(-4000)}`);
    const events = output.split('\n').filter((line) => line.startsWith('▶ '));
    expect(events).toHaveLength(4);
    expect(output).toMatch(/^PR #\d+ closed: its environment is torn down +pr-environment\.yml +success +as expected/m);
    expect(output).not.toContain('UNEXPECTED');
  });

  it('is plain text: no ANSI escape, no markdown escape, no HTML marker', () => {
    expect(output).not.toContain('\x1b');
    expect(output).not.toMatch(/\\[|_*`[\]#]|&#\d+;|&(amp|lt|gt|quot);|<!--|<\/?details>|<\/?summary>/);
  });

  it('prints each run’s job/step table and a reason beside every warning', () => {
    expect(output).toMatch(/^ {2}job +step +outcome +duration$/m);
    expect(output).toMatch(/^ {11}Run org\/preview-actions\/deploy-pr-env@v1 +success +\d+\.\ds$/m);
    const lines = output.split('\n');
    lines.forEach((line, i) => {
      if (/^ {2}(warning|error|notice) in /.test(line))
        expect([line, lines[i + 1]]).toEqual([line, expect.stringMatching(/^ {4}\(expected: .+\)$/)]);
    });
  });

  it('shows the PR page and writes it as the HTML file it names', () => {
    expect(output).toMatch(/Preview environment pr-\d+: 🚀 Deployed/);
    expect(output).toMatch(/│ Environment │ Commit +│ State +│ Statuses +│ URL +│/);
    const named = /The same page as HTML: (\S+\.html)/.exec(output)?.[1];
    expect(named).toMatch(/^\.sandbox\/demo\/pr-\d+\.html$/);
    const html = join(repoRoot, named!);
    expect(existsSync(html)).toBe(true);
    expect(readFileSync(html, 'utf8')).toContain('<th>Environment</th>');
  });
});
