import { beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../harness/paths.js';
import type { SandboxEndpoints } from '../sandbox/endpoints.js';
import { ensureSandbox } from '../sandbox/ensure.js';
import { sandboxFiles } from '../sandbox/paths.js';

const requiredVariables = [
  'AWS_ENDPOINT_URL',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'SANDBOX_AWS_DIRECT_URL',
  'GITHUB_API_URL',
  'GITHUB_GRAPHQL_URL',
  'GITHUB_TOKEN',
  'CLOUDFLARE_BASE_URL',
  'CLOUDFLARE_API_TOKEN',
  'CLOUDFLARE_ZONE_ID',
  'REGISTRY_BASIC_HOST',
  'REGISTRY_BASIC_USERNAME',
  'REGISTRY_BASIC_PASSWORD',
  'REGISTRY_TOKEN_HOST',
  'REGISTRY_TOKEN_USERNAME',
  'REGISTRY_TOKEN_PASSWORD',
  'REDIS_URL',
  'FAULT_PROXY_ADMIN_URL',
];

let sandbox: SandboxEndpoints;

/** The environment a shell has after sourcing .sandbox/env (and nothing else). */
function sourceEnvFile(): Record<string, string> {
  const output = execFileSync(
    'env',
    ['-i', 'bash', '--noprofile', '--norc', '-c', `. '${sandboxFiles.env}' && env -0`],
    {
      encoding: 'utf8',
    },
  );
  return Object.fromEntries(
    output
      .split('\0')
      .filter(Boolean)
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

beforeAll(async () => {
  sandbox = await ensureSandbox();
}, 900_000);

describe('sandbox .sandbox/env', () => {
  it('sets every variable the tests and actions read, with the values of endpoints.json', () => {
    const sourced = sourceEnvFile();
    for (const name of requiredVariables) expect(sourced[name]).toBe(sandbox.env[name]);
    for (const name of requiredVariables) expect(sourced[name]).toBeTruthy();
  });

  it('routes service endpoints through the fault proxy and keeps the direct AWS URL apart', () => {
    const proxyPorts = new Set(Object.values(sandbox.faultProxy.urls).map((url) => new URL(url).port));
    for (const name of ['AWS_ENDPOINT_URL', 'GITHUB_API_URL', 'GITHUB_GRAPHQL_URL', 'CLOUDFLARE_BASE_URL']) {
      expect(proxyPorts).toContain(new URL(sandbox.env[name]!).port);
    }
    for (const name of ['REGISTRY_BASIC_HOST', 'REGISTRY_TOKEN_HOST']) {
      expect(proxyPorts).toContain(sandbox.env[name]!.split(':')[1]);
    }
    expect(sandbox.env.SANDBOX_AWS_DIRECT_URL).toBe(sandbox.aws.directUrl);
    expect(proxyPorts).not.toContain(new URL(sandbox.aws.directUrl).port);
  });

  it('names only loopback addresses', () => {
    const addresses = Object.values(sandbox.env).filter((value) => /^(https?|redis):\/\/|^[\d.]+:\d+$/.test(value));
    expect(addresses.length).toBeGreaterThan(8);
    for (const address of addresses) expect(address).toMatch(/^((https?|redis):\/\/)?127\.0\.0\.1:\d+/);
  });
});

describe('pnpm sandbox exec', () => {
  /** `sandbox exec -- sh -c script` from a caller whose own GITHUB_TOKEN and AWS settings are set. */
  function execScript(script: string) {
    return spawnSync(
      join(repoRoot, 'node_modules/.bin/tsx'),
      ['test/sandbox/cli.ts', 'exec', '--', 'sh', '-c', script],
      {
        cwd: repoRoot,
        encoding: 'utf8',
        env: {
          ...process.env,
          GITHUB_TOKEN: 'the-users-own',
          AWS_ENDPOINT_URL: 'https://ecs.example.invalid',
          AWS_PROFILE: 'work',
          EDITOR: 'ed',
        },
      },
    );
  }

  it('gives the command the sandbox’s variables over the caller’s, drops the caller’s AWS_*, keeps the rest', () => {
    const result = execScript('echo "$GITHUB_TOKEN|$AWS_ENDPOINT_URL|${AWS_PROFILE-none}|$EDITOR"');
    expect(result.status).toBe(0);
    // the caller's AWS profile would beat the sandbox's keys: it is dropped
    expect(result.stdout.trim()).toBe(`${sandbox.env.GITHUB_TOKEN}|${sandbox.env.AWS_ENDPOINT_URL}|none|ed`);
  });

  it('points the aws CLI at the sandbox (Debian’s awscli ignores AWS_ENDPOINT_URL)', () => {
    const result = execScript('aws ecs list-clusters --output text');
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain(`cluster/${sandbox.seeded.clusters.previews}`);
  });

  it('exits with the command’s exit code', () => {
    expect(execScript('exit 7').status).toBe(7);
  });
});
