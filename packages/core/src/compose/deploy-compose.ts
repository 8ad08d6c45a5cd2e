import { readFile, writeFile } from 'node:fs/promises';
import type { Clock } from '../action/clock.js';
import { ReportedFailure } from '../action/errors.js';
import type { Logger } from '../action/logger.js';
import type { CommandRunner } from '../build/command-runner.js';
import { validateTag } from '../registry/validate-tag.js';
import { pinEnvFile } from './pin-env-file.js';
import { waitForHealth } from './wait-for-health.js';

export interface DeployComposeRequest {
  composeFile: string;
  envFile: string;
  variable: string;
  version: string;
  projectDirectory: string;
  healthUrl: string;
  healthTimeoutMs: number;
}

export interface DeployComposeResult {
  previousVersion: string;
  healthy: boolean;
}

/**
 * The deploy form's dev target: Docker Compose on a self-hosted runner. Pins the version in the
 * compose env file, pulls, starts detached, then polls the health URL.
 */
export async function deployCompose(
  request: DeployComposeRequest,
  deps: { runner: CommandRunner; clock: Clock; log: Logger },
): Promise<DeployComposeResult> {
  validateTag(request.version, "Input 'version'");
  let text = '';
  try {
    text = await readFile(request.envFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const pinned = pinEnvFile(text, request.variable, request.version);
  await writeFile(request.envFile, pinned.text);
  deps.log.info(`${request.envFile}: ${request.variable}=${request.version} (was ${pinned.previous ?? 'unset'})`);

  const base = [
    'compose',
    '--project-directory',
    request.projectDirectory,
    '--env-file',
    request.envFile,
    '--file',
    request.composeFile,
  ];
  for (const step of [['pull'], ['up', '--detach', '--remove-orphans']]) {
    const result = await deps.runner.run('docker', [...base, ...step]);
    if (result.exitCode !== 0) {
      const last = result.stderr.trim().split('\n').slice(-3).join(' | ');
      throw new ReportedFailure(`docker compose ${step[0]} failed: ${last || `exit ${result.exitCode}`}`);
    }
  }
  if (!request.healthUrl) return { previousVersion: pinned.previous ?? '', healthy: true };
  const health = await waitForHealth(request.healthUrl, { clock: deps.clock, timeoutMs: request.healthTimeoutMs });
  if (!health.healthy) {
    throw new ReportedFailure(
      `${request.healthUrl} did not become healthy within ${request.healthTimeoutMs / 1000} s (last: ${health.last})`,
    );
  }
  deps.log.info(`${request.healthUrl} is healthy after ${health.attempts} check(s)`);
  return { previousVersion: pinned.previous ?? '', healthy: true };
}
