import type { SandboxEndpoints } from './endpoints.js';

/**
 * The environment an action needs to talk to the sandbox: AWS (moto through a proxy of the caller's choice),
 * Cloudflare and GitHub stand-ins; GITHUB_TOKEN is also the harness's default for `github.token`.
 */
export function createSandboxActionEnv(
  sandbox: SandboxEndpoints,
  endpoints: { aws?: string; cloudflare?: string } = {},
): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: endpoints.aws ?? sandbox.aws.url,
    AWS_REGION: sandbox.aws.region,
    AWS_ACCESS_KEY_ID: sandbox.aws.accessKeyId,
    AWS_SECRET_ACCESS_KEY: sandbox.aws.secretAccessKey,
    CLOUDFLARE_BASE_URL: endpoints.cloudflare ?? sandbox.cloudflare.baseUrl,
    GITHUB_API_URL: sandbox.github.apiUrl,
    GITHUB_GRAPHQL_URL: sandbox.github.graphqlUrl,
    GITHUB_TOKEN: sandbox.github.token,
  };
}
