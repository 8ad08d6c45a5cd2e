import type { ActionContext } from '../action/context.js';
import type { AwsServices } from '../aws/create-aws-clients.js';
import { createManifestStore, type ManifestStoreOptions } from './create-manifest-store.js';
import type { ManifestStore } from './manifest-store.js';

/**
 * Returns `storeFor(host)`, which builds each host's {@link ManifestStore} once (credentials,
 * token cache and all) and hands the same one to every later caller.
 */
export function createStoreResolver(
  options: Omit<ManifestStoreOptions, 'host'>,
): (host: string) => Promise<ManifestStore> {
  const stores = new Map<string, Promise<ManifestStore>>();
  return (host) => {
    let store = stores.get(host);
    if (!store) {
      store = createManifestStore({ ...options, host });
      stores.set(host, store);
    }
    return store;
  };
}

/**
 * {@link createStoreResolver} wired to an action's context: secrets masked through its io, its clock and
 * environment (docker config, endpoints), and ECR through its AWS clients. Empty credentials mean "none":
 * the docker config (docker/login-action) is read instead.
 */
export function createActionStoreResolver(
  ctx: ActionContext<AwsServices>,
  credentials: { registryType?: string; username?: string; password?: string },
): (host: string) => Promise<ManifestStore> {
  return createStoreResolver({
    ...credentials,
    maskSecret: (secret) => ctx.io.setSecret(secret),
    clock: ctx.clock,
    env: ctx.env,
    createEcrClient: () => ctx.aws.ecr,
  });
}
