import { ECRClient } from '@aws-sdk/client-ecr';
import type { Clock } from '../action/clock.js';
import { EcrStore } from './ecr-store.js';
import type { ManifestStore } from './manifest-store.js';
import { OciClient, type OciClientOptions } from './oci-client.js';
import { resolveRegistryCredentials } from './registry-credentials.js';
import { detectRegistryType, parseEcrHost } from './registry-type.js';

/** Everything needed to pick and build the store for one registry host. */
export interface ManifestStoreOptions {
  host: string;
  /** `auto` (default), `ecr` or `oci`. */
  registryType?: string;
  /** Explicit credentials for OCI registries; else the docker config is read. */
  username?: string;
  password?: string;
  maskSecret: (value: string) => void;
  clock?: Clock;
  /** Builds the ECR client for a region; defaults to `new ECRClient({ region })`. */
  createEcrClient?: (region: string) => ECRClient;
  /** Extra OCI client settings (fetch, retry policy, request hooks). */
  oci?: Partial<Pick<OciClientOptions, 'fetch' | 'retry' | 'scheme' | 'onRetry' | 'onRequest'>>;
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Builds the {@link ManifestStore} for a host: an {@link EcrStore} for ECR hosts (by `registryType`),
 * else an {@link OciClient} with credentials resolved from the options or the docker config.
 */
export async function createManifestStore(options: ManifestStoreOptions): Promise<ManifestStore> {
  const type = detectRegistryType(options.host, options.registryType ?? 'auto');
  const ecr = parseEcrHost(options.host);
  if (type === 'ecr' && ecr) {
    const client = options.createEcrClient?.(ecr.region) ?? new ECRClient({ region: ecr.region });
    return new EcrStore({ client, host: options.host, registryId: ecr.registryId });
  }
  const credentials = await resolveRegistryCredentials({
    host: options.host,
    ...(options.username !== undefined && { username: options.username }),
    ...(options.password !== undefined && { password: options.password }),
    ...(options.env && { env: options.env }),
    maskSecret: options.maskSecret,
  });
  return new OciClient({
    host: options.host,
    credentials,
    maskSecret: options.maskSecret,
    ...(options.clock && { clock: options.clock }),
    ...options.oci,
  });
}
