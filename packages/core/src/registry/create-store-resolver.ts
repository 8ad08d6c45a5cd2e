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
