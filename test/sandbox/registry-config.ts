import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';

export type RegistryAuth =
  | { kind: 'htpasswd'; htpasswdPath: string }
  | { kind: 'token'; realm: string; service: string; issuer: string; rootCertBundlePath: string };

export interface RegistryConfigOptions {
  dir: string;
  port: number;
  auth: RegistryAuth;
}

function renderAuth(auth: RegistryAuth) {
  if (auth.kind === 'htpasswd') return { htpasswd: { realm: 'sandbox-registry', path: auth.htpasswdPath } };
  return {
    token: {
      realm: auth.realm,
      service: auth.service,
      issuer: auth.issuer,
      rootcertbundle: auth.rootCertBundlePath,
    },
  };
}

/**
 * Writes a distribution 2.8 config for a registry with its own storage under `dir`, deletes enabled so
 * tests can clean up, and returns the config's path.
 */
export function writeRegistryConfig(options: RegistryConfigOptions): string {
  const storage = join(options.dir, 'storage');
  mkdirSync(storage, { recursive: true });
  const config = {
    version: 0.1,
    log: { level: 'warn', accesslog: { disabled: true }, formatter: 'text' },
    storage: {
      filesystem: { rootdirectory: storage },
      delete: { enabled: true },
      maintenance: { uploadpurging: { enabled: false } },
    },
    http: { addr: `127.0.0.1:${options.port}`, secret: randomBytes(16).toString('hex') },
    auth: renderAuth(options.auth),
  };
  const path = join(options.dir, 'config.yml');
  writeFileSync(path, stringify(config));
  return path;
}
