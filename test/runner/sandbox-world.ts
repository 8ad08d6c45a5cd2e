import { createSandboxActionEnv } from '../sandbox/action-env.js';
import type { SandboxEndpoints } from '../sandbox/endpoints.js';
import { prepareComposeHostMachine } from '../sandbox/compose-host/compose-host-machine.js';
import { createGitHubAdminClient } from '../standins/github/admin-client.js';
import { createSandboxRunnerGitHub } from './sandbox-github.js';
import { createWorld, type World, type WorldOptions } from './world.js';

/**
 * A world's defaults against the sandbox. The runner machine's environment (as on a self-hosted runner) carries
 * the endpoints every action process must reach: AWS_ENDPOINT_URL, GITHUB_API_URL/GITHUB_GRAPHQL_URL,
 * CLOUDFLARE_BASE_URL, AWS_REGION; AWS credentials are the aws-actions stand-in's to export, so the runner machine
 * has none; a `self-hosted` job runs on the dev host (test/sandbox/compose-host). Secrets and variables are the ones the shipped templates read, pointing at the sandbox.
 */
export function createSandboxWorldOptions(
  endpoints: SandboxEndpoints,
): Required<Pick<WorldOptions, 'github' | 'runnerEnv' | 'machines' | 'secrets' | 'vars' | 'urls' | 'repository'>> {
  const actionEnv = createSandboxActionEnv(endpoints);
  const { seeded } = endpoints;
  const runnerEnv: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    AWS_ENDPOINT_URL: actionEnv.AWS_ENDPOINT_URL!,
    AWS_REGION: actionEnv.AWS_REGION!,
    CLOUDFLARE_BASE_URL: actionEnv.CLOUDFLARE_BASE_URL!,
    GITHUB_API_URL: actionEnv.GITHUB_API_URL!,
    GITHUB_GRAPHQL_URL: actionEnv.GITHUB_GRAPHQL_URL!,
  };
  const role = (name: string) => `arn:aws:iam::${seeded.accountId}:role/${name}`;
  return {
    github: createSandboxRunnerGitHub(endpoints),
    runnerEnv,
    // `runs-on: self-hosted` (deploy-form's dev job) is the dev host with Docker Compose: the compose host stand-in
    machines: { 'self-hosted': prepareComposeHostMachine(endpoints) },
    urls: { api: endpoints.github.apiUrl, graphql: endpoints.github.graphqlUrl },
    repository: { owner: 'octo-org', name: 'octo-repo' },
    secrets: {
      CLOUDFLARE_API_TOKEN: endpoints.cloudflare.apiToken,
      PREVIEW_REDIS_URL: endpoints.redis.url,
      REGISTRY_USERNAME: endpoints.registries.token.username,
      REGISTRY_PASSWORD: endpoints.registries.token.password,
    },
    vars: {
      PREVIEW_AWS_ROLE_ARN: role('preview-actions-preview'),
      PREVIEW_AWS_REGION: seeded.region,
      PREVIEW_LISTENER_ARN: seeded.loadBalancer.httpsListenerArn,
      PREVIEW_DOMAIN: seeded.loadBalancer.domain,
      PREVIEW_IMAGE_REPOSITORY: seeded.ecrRepositories.api,
      AWS_RC_ROLE_ARN: role('preview-actions-release-candidate'),
      AWS_PRODUCTION_ROLE_ARN: role('preview-actions-production'),
      AWS_REGION: seeded.region,
    },
  };
}

/**
 * A world against the sandbox: the defaults above under `options`, and the repository created in the GitHub
 * stand-in (its id in the github context) so the runner's Deployments have somewhere to go.
 */
export async function createSandboxWorld(
  endpoints: SandboxEndpoints,
  options: Partial<WorldOptions> = {},
): Promise<World> {
  const defaults = createSandboxWorldOptions(endpoints);
  const owner = options.repository?.owner ?? defaults.repository.owner!;
  const name = options.repository?.name ?? defaults.repository.name!;
  const admin = createGitHubAdminClient(endpoints.github.adminUrl);
  const repository = await admin.call('createRepository', { owner, name });
  return createWorld({
    ...defaults,
    ...options,
    secrets: { ...defaults.secrets, ...options.secrets },
    vars: { ...defaults.vars, ...options.vars },
    runnerEnv: { ...defaults.runnerEnv, ...options.runnerEnv },
    repository: { ...options.repository, owner, name, id: repository.id, defaultBranch: repository.defaultBranch },
  });
}
