import { spawnSync } from 'node:child_process';
import { repoRoot } from '../harness/paths.js';
import type { SandboxEndpoints } from './endpoints.js';
import { readSandboxEndpoints } from './endpoints.js';
import { readSandboxStatus } from './status.js';

// A first run on a fresh machine installs Debian packages and fetches moto.
const upTimeoutMs = 15 * 60_000;

/**
 * Returns the running sandbox's endpoints, starting the sandbox first when it is not up and healthy.
 * Throws with the output of `pnpm sandbox up` when a piece cannot start. A sandbox started here keeps
 * running after the tests; `pnpm sandbox down` stops it.
 */
export async function ensureSandbox(): Promise<SandboxEndpoints> {
  const status = await readSandboxStatus();
  if (status.healthy && status.endpoints) return status.endpoints;
  // A separate process, so the pieces are never children of a test worker.
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'test/sandbox/cli.ts', 'up'], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: upTimeoutMs,
  });
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
    const reason = result.error ? result.error.message : `exit code ${result.status}`;
    throw new Error(`the sandbox could not start (pnpm sandbox up: ${reason}):\n${output}`);
  }
  return readSandboxEndpoints();
}
