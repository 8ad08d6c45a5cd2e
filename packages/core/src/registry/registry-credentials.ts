import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError } from '../action/errors.js';

/** A username and password (or token) for one registry. */
export interface RegistryCredentials {
  username: string;
  password: string;
}

/** Where {@link resolveRegistryCredentials} looks, injectable for tests. */
export interface CredentialSources {
  host: string;
  username?: string;
  password?: string;
  /** Environment holding DOCKER_CONFIG / HOME; defaults to process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  readTextFile?: (path: string) => Promise<string>;
  /** Receives every secret before it is used, e.g. `core.setSecret`. */
  maskSecret: (value: string) => void;
}

interface DockerConfig {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
}

/** The keys docker and docker/login-action may have stored a host under. */
function hostKeys(host: string): string[] {
  return [host, `https://${host}`, `http://${host}`, `https://${host}/v1/`, `https://${host}/v2/`];
}

function dockerConfigPath(env: Readonly<Record<string, string | undefined>>): string {
  if (env.DOCKER_CONFIG) return join(env.DOCKER_CONFIG, 'config.json');
  return join(env.HOME || homedir(), '.docker', 'config.json');
}

async function readDockerConfig(path: string, read: (p: string) => Promise<string>): Promise<DockerConfig | null> {
  let text: string;
  try {
    text = await read(path);
  } catch {
    return null;
  }
  try {
    return JSON.parse(text) as DockerConfig;
  } catch {
    throw new ConfigurationError(`The docker config ${path} is not valid JSON: fix or delete it, then log in again`);
  }
}

/**
 * Finds credentials for a registry: explicit username/password first, then the docker config file
 * written by docker/login-action (`$DOCKER_CONFIG/config.json` or `~/.docker/config.json`,
 * `auths.<host>.auth`), else null (anonymous). Every secret found is masked before it is returned.
 * Credential helpers (`credsStore`) are not consulted.
 * @throws ConfigurationError when only one of username/password is given.
 */
export async function resolveRegistryCredentials(sources: CredentialSources): Promise<RegistryCredentials | null> {
  const { host, username, password, maskSecret } = sources;
  if (username || password) {
    if (!username || !password) {
      throw new ConfigurationError(`Registry ${host}: set both username and password, or neither to use docker login`);
    }
    maskSecret(password);
    maskSecret(Buffer.from(`${username}:${password}`).toString('base64'));
    return { username, password };
  }
  const env = sources.env ?? process.env;
  const path = dockerConfigPath(env);
  const config = await readDockerConfig(path, sources.readTextFile ?? ((p) => readFile(p, 'utf8')));
  const entry = hostKeys(host)
    .map((k) => config?.auths?.[k])
    .find((e) => e !== undefined);
  if (!entry) return null;
  if (entry.auth) {
    maskSecret(entry.auth);
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0) {
      throw new ConfigurationError(
        `The docker config ${path} has a malformed auth for ${host}: run docker/login-action again`,
      );
    }
    const secret = decoded.slice(colon + 1);
    maskSecret(secret);
    return { username: decoded.slice(0, colon), password: secret };
  }
  if (entry.username && entry.password) {
    maskSecret(entry.password);
    maskSecret(Buffer.from(`${entry.username}:${entry.password}`).toString('base64'));
    return { username: entry.username, password: entry.password };
  }
  return null;
}
