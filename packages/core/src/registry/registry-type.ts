import { ConfigurationError } from '../action/errors.js';
import { quoteValue } from '../action/quote.js';

/** Which API a registry is driven through. */
export type RegistryType = 'ecr' | 'oci';

/** The account and region encoded in an ECR registry host. */
export interface EcrHost {
  registryId: string;
  region: string;
}

const ECR_HOST = /^([0-9]{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;

/** Reads `<12 digits>.dkr.ecr.<region>.amazonaws.com[.cn]`, or null for any other host. */
export function parseEcrHost(host: string): EcrHost | null {
  const m = ECR_HOST.exec(host.toLowerCase());
  return m ? { registryId: m[1] as string, region: m[2] as string } : null;
}

/**
 * Resolves a `registry-type` setting: `auto` picks ECR for an ECR host, OCI otherwise.
 * @throws ConfigurationError for an unknown setting, or `ecr` with a host that is not an ECR host.
 */
export function detectRegistryType(host: string, setting = 'auto'): RegistryType {
  if (setting === 'auto') return parseEcrHost(host) ? 'ecr' : 'oci';
  if (setting === 'oci') return 'oci';
  if (setting === 'ecr') {
    if (!parseEcrHost(host)) {
      throw new ConfigurationError(
        `Registry type is 'ecr' but ${quoteValue(host)} is not an ECR host: use <account>.dkr.ecr.<region>.amazonaws.com or set it to 'oci'`,
      );
    }
    return 'ecr';
  }
  throw new ConfigurationError(`Registry type ${quoteValue(setting)} is unknown: use 'auto', 'ecr' or 'oci'`);
}
