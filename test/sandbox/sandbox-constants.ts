/** The DNS zone of the Cloudflare stand-in; the ALB's certificate covers it and its subdomains. */
export const sandboxZoneName = 'example.com';
/** The `service` and `issuer` of the token registry's bearer tokens. */
export const registryTokenService = 'preview-actions-sandbox-registry';
export const registryTokenIssuer = 'preview-actions-sandbox-token-server';
/** moto answers to any credentials; these are what `.sandbox/env` exports. */
export const sandboxAwsCredentials = { accessKeyId: 'AKIASANDBOXPREVIEW00', secretAccessKey: 'sandbox-secret-key' };
export const sandboxAwsRegion = 'us-east-1';
