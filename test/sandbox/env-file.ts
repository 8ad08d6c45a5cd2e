import type { SandboxEndpoints } from './endpoints.js';

/** The environment variables that point tools and tests at the sandbox; service URLs go through the fault proxy. */
export function createSandboxEnv(endpoints: Omit<SandboxEndpoints, 'env'>): Record<string, string> {
  const { aws, github, cloudflare, registries, redis, faultProxy } = endpoints;
  return {
    AWS_ENDPOINT_URL: aws.url,
    AWS_REGION: aws.region,
    AWS_DEFAULT_REGION: aws.region,
    AWS_ACCESS_KEY_ID: aws.accessKeyId,
    AWS_SECRET_ACCESS_KEY: aws.secretAccessKey,
    SANDBOX_AWS_DIRECT_URL: aws.directUrl,
    // With credentials in the environment nothing needs instance metadata; this keeps tools off 169.254.169.254.
    AWS_EC2_METADATA_DISABLED: 'true',
    GITHUB_API_URL: github.apiUrl,
    GITHUB_GRAPHQL_URL: github.graphqlUrl,
    GITHUB_TOKEN: github.token,
    SANDBOX_GITHUB_ADMIN_URL: github.adminUrl,
    CLOUDFLARE_BASE_URL: cloudflare.baseUrl,
    CLOUDFLARE_API_TOKEN: cloudflare.apiToken,
    CLOUDFLARE_ZONE_ID: cloudflare.zoneId,
    CLOUDFLARE_ZONE_NAME: cloudflare.zoneName,
    SANDBOX_CLOUDFLARE_ADMIN_URL: cloudflare.adminUrl,
    REGISTRY_BASIC_HOST: registries.basic.host,
    REGISTRY_BASIC_USERNAME: registries.basic.username,
    REGISTRY_BASIC_PASSWORD: registries.basic.password,
    REGISTRY_TOKEN_HOST: registries.token.host,
    REGISTRY_TOKEN_USERNAME: registries.token.username,
    REGISTRY_TOKEN_PASSWORD: registries.token.password,
    REDIS_URL: redis.url,
    FAULT_PROXY_ADMIN_URL: faultProxy.adminUrl,
  };
}

/** Renders `export NAME='value'` lines that any POSIX shell can source. */
export function renderEnvFile(env: Record<string, string>): string {
  const quote = (value: string) => `'${value.replaceAll("'", `'\\''`)}'`;
  const lines = Object.entries(env).map(([name, value]) => `export ${name}=${quote(value)}`);
  // Debian 12's awscli (2.9) predates AWS_ENDPOINT_URL: without this it would call the real AWS.
  const awsCli = 'aws() { command aws --endpoint-url "$AWS_ENDPOINT_URL" "$@"; }';
  return `# Written by pnpm sandbox up; source it: . .sandbox/env\n${lines.join('\n')}\n${awsCli}\n`;
}
