import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SandboxEndpoints } from '../endpoints.js';
import { composeHostFiles } from './compose-state.js';

/** The folder holding the stand-in's `docker`, first on the dev host's PATH. */
export const composeHostBin = fileURLToPath(new URL('./bin', import.meta.url));

/**
 * The self-hosted dev host of deploy-form.yml's `dev` job on this sandbox: the compose host stand-in's `docker`
 * first on PATH, and DOCKER_CONFIG holding the logins its admin made once (`docker login` to both sandbox
 * registries, as names in image references: through the fault proxy). Writes that config; returns the machine
 * for WorldOptions.machines.
 */
export function prepareComposeHostMachine(endpoints: SandboxEndpoints): {
  path: string[];
  env: Record<string, string>;
} {
  const { basic, token } = endpoints.registries;
  const auths = Object.fromEntries(
    [basic, token].map((registry) => [
      registry.host,
      { auth: Buffer.from(`${registry.username}:${registry.password}`).toString('base64') },
    ]),
  );
  mkdirSync(composeHostFiles.dockerConfig, { recursive: true });
  writeFileSync(join(composeHostFiles.dockerConfig, 'config.json'), JSON.stringify({ auths }, null, 2), {
    mode: 0o600,
  });
  return { path: [composeHostBin], env: { DOCKER_CONFIG: composeHostFiles.dockerConfig } };
}
