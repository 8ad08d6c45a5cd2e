import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { StandinStep } from '../standin-api.js';

const run = promisify(execFile);

/** Where a job's registry logins are kept, and the variables that point tools at it. */
export interface RegistryAuthFile {
  /** `config.json` in docker's format, which containers/image (buildah, skopeo) reads too. */
  file: string;
  /**
   * DOCKER_CONFIG (docker, and packages/core's resolveRegistryCredentials behind deploy-pr-env and
   * retag-promote) and REGISTRY_AUTH_FILE (buildah, skopeo, build-double-tag's buildah push) at the same file.
   */
  exportEnv: Record<string, string>;
}

/** The job's auth file: under DOCKER_CONFIG when a step set one, else `$RUNNER_TEMP/docker-config/config.json`. */
export function jobAuthFile(step: StandinStep): RegistryAuthFile | string {
  const dir = step.env.DOCKER_CONFIG || (step.env.RUNNER_TEMP ? join(step.env.RUNNER_TEMP, 'docker-config') : '');
  if (!dir) return 'the job has neither DOCKER_CONFIG nor RUNNER_TEMP, so there is nowhere to keep the login';
  const file = join(dir, 'config.json');
  return { file, exportEnv: { DOCKER_CONFIG: dir, REGISTRY_AUTH_FILE: file } };
}

/**
 * Records `username:password` for `host` in the job's auth file (0600, merged with earlier logins), masking
 * the password and its base64 form, as `docker login` stores it.
 */
export function recordRegistryLogin(
  step: StandinStep,
  auth: RegistryAuthFile,
  host: string,
  username: string,
  password: string,
): void {
  const encoded = Buffer.from(`${username}:${password}`).toString('base64');
  step.mask(password);
  step.mask(encoded);
  mkdirSync(join(auth.file, '..'), { recursive: true });
  const config = existsSync(auth.file)
    ? (JSON.parse(readFileSync(auth.file, 'utf8')) as { auths?: Record<string, unknown> })
    : {};
  config.auths = { ...config.auths, [host]: { auth: encoded } };
  writeFileSync(auth.file, JSON.stringify(config, null, 2), { mode: 0o600 });
}

/** True for a registry host on this machine (the sandbox's), the only ones a stand-in may contact. */
export function isLoopbackRegistry(host: string): boolean {
  return /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?$/.test(host);
}

/**
 * Checks credentials against a registry as `docker login` does (GET /v2/, through a bearer-token exchange when
 * the registry asks for one), with skopeo, TLS off as the sandbox's registries are plain HTTP.
 * @returns undefined when the registry accepts them, else skopeo's last line.
 */
export async function verifyRegistryLogin(
  host: string,
  username: string,
  password: string,
): Promise<string | undefined> {
  // skopeo writes what it verified to --authfile: a throwaway one, the job's file is written by recordRegistryLogin
  const scratch = mkdtempSync(join(tmpdir(), 'registry-login-'));
  try {
    const child = run(
      'skopeo',
      [
        'login',
        '--tls-verify=false',
        '--authfile',
        join(scratch, 'auth.json'),
        '--username',
        username,
        '--password-stdin',
        host,
      ],
      {
        timeout: 30_000,
      },
    );
    child.child.stdin?.end(password);
    await child;
    return undefined;
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr ?? (error as Error).message).trim();
    return stderr.split('\n').pop();
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
