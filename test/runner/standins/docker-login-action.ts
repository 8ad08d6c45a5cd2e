/**
 * Stands in for docker/login-action (v3): checks the credentials against the registry as `docker login`
 * does (skopeo login) and records them in the job's auth file (registry-auth.ts), exporting DOCKER_CONFIG and
 * REGISTRY_AUTH_FILE so later steps find them: buildah and skopeo (docker/build-push-action's stand-in, our
 * build-double-tag with builder buildah) and packages/core's resolveRegistryCredentials (deploy-pr-env,
 * retag-promote, build-double-tag's manifest reads), which read `$DOCKER_CONFIG/config.json`.
 *
 * Inputs (the real action.yml's names): registry, username, password, logout, ecr (`auto`/`false` only).
 * Refused: scope, registry-auth, ecr=true. `logout` is accepted but there is no post step: the auth file lives
 * in the job's RUNNER_TEMP, which goes with the job. No outputs (the real action has none).
 * Only sandbox registries (loopback hosts) are contacted: a scenario maps e.g. ghcr.io to one before this runs.
 */
import type { Standin } from '../standin-api.js';
import { isLoopbackRegistry, jobAuthFile, recordRegistryLogin, verifyRegistryLogin } from './registry-auth.js';
import { failure, readBooleanInput, refuseUnimplementedInputs } from './standin-result.js';

const IMPLEMENTED = ['registry', 'username', 'password', 'logout', 'ecr'] as const;

/** See the header. */
export const dockerLogin: Standin = async (step) => {
  const refused = refuseUnimplementedInputs(step, 'docker/login-action', IMPLEMENTED);
  if (refused) return refused;
  const { registry = '', username = '', password = '' } = step.inputs;
  if (password) step.mask(password);
  if (step.inputs.ecr && !['auto', 'false'].includes(step.inputs.ecr)) {
    return failure("docker/login-action stand-in: input 'ecr' is implemented for auto and false only");
  }
  try {
    readBooleanInput(step, 'logout', true);
  } catch (error) {
    return failure((error as Error).message);
  }
  if (!username || !password) return failure('Username and password required');
  const host = registry.replace(/^https?:\/\//, '').replace(/\/+$/, '');
  if (!host) {
    return failure("docker/login-action stand-in: input 'registry' is required (Docker Hub is not in the sandbox)");
  }
  if (!isLoopbackRegistry(host)) {
    return failure(
      `docker/login-action stand-in: registry '${host}' is not a sandbox registry (a loopback host:port); point the scenario at REGISTRY_BASIC_HOST or REGISTRY_TOKEN_HOST`,
    );
  }
  const auth = jobAuthFile(step);
  if (typeof auth === 'string') return failure(`docker/login-action stand-in: ${auth}`);
  step.log(`Logging into ${host}...`);
  const rejected = await verifyRegistryLogin(host, username, password);
  if (rejected !== undefined) return failure(`Error response from daemon: login to ${host} failed: ${rejected}`);
  recordRegistryLogin(step, auth, host, username, password);
  step.log('Login Succeeded!');
  return { outcome: 'success', exportEnv: auth.exportEnv };
};
