import { GetAuthorizationTokenCommand, type ECRClient } from '@aws-sdk/client-ecr';
import { awsRegistryError, RegistryError } from './registry-error.js';
import type { RegistryCredentials } from './registry-credentials.js';

/** Docker credentials for an ECR registry, valid until `expiresAt`. */
export interface EcrLogin extends RegistryCredentials {
  /** Registry host without scheme, e.g. `123456789012.dkr.ecr.us-east-1.amazonaws.com`. */
  host: string;
  expiresAt: Date | undefined;
}

/**
 * Gets docker credentials for ECR (GetAuthorizationToken) for the build path. The token, the
 * password and the basic-auth form are passed to `maskSecret` before they are returned.
 */
export async function loginToEcr(client: ECRClient, maskSecret: (value: string) => void): Promise<EcrLogin> {
  let out;
  try {
    out = await client.send(new GetAuthorizationTokenCommand({}));
  } catch (error) {
    throw awsRegistryError(error, 'ECR', 'log in to');
  }
  const data = out.authorizationData?.[0];
  if (!data?.authorizationToken || !data.proxyEndpoint) {
    throw new RegistryError({ image: 'ECR', operation: 'log in to', code: 'NoAuthorizationData' });
  }
  maskSecret(data.authorizationToken);
  const decoded = Buffer.from(data.authorizationToken, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const password = decoded.slice(colon + 1);
  maskSecret(password);
  return {
    host: data.proxyEndpoint.replace(/^https?:\/\//, '').replace(/\/+$/, ''),
    username: decoded.slice(0, colon),
    password,
    expiresAt: data.expiresAt,
  };
}
