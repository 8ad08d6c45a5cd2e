import type { SandboxEndpoints } from '../sandbox/endpoints.js';
import { pullRequestEvent, runActionBundle } from '../harness/index.js';

/**
 * Seed 000's stack as a deploy-pr-env environment file on the sandbox: api on /api/*, admin on /admin/*,
 * three celery workers, images from the basic-auth registry's previews/app.
 */
export function renderSeed000EnvironmentFile(sandbox: SandboxEndpoints, ttlHours = 24): string {
  const seeded = sandbox.seeded;
  return `domain: ${sandbox.cloudflare.zoneName}
cluster: ${seeded.clusters.previews}
listener-arn: ${seeded.loadBalancer.httpsListenerArn}
vpc-id: ${seeded.vpcId}
priority-range: 1000-1999
ttl-hours: ${ttlHours}
image-repository: ${sandbox.registries.basic.host}/previews/app
services:
  - name: api
    command: [./run_api.sh]
    port: 8000
    paths: [/api/*]
    health-check-path: /api/health
    environment:
      DJANGO_SETTINGS_MODULE: config.settings.development
  - name: admin
    command: [./run_admin.sh]
    port: 8000
    paths: [/admin/*]
    health-check-path: /admin/health
  - name: celery-default
    command: [./run_celery.sh, default]
  - name: celery-async
    command: [./run_celery.sh, async]
  - name: celery-low
    command: [./run_celery.sh, low]
`;
}

/**
 * Tears down the preview of `pr` with the bundled cleanup-stale action, so a run does not leave rules and
 * target groups on the shared listener (its quotas are 100 each). Throws with the action's error when it fails.
 */
export async function removePreviewEnvironment(sandbox: SandboxEndpoints, pr: number): Promise<void> {
  const run = await runActionBundle({
    action: 'cleanup-stale',
    event: pullRequestEvent('closed', { number: pr }),
    inputs: {
      'pr-number': String(pr),
      cluster: sandbox.seeded.clusters.previews,
      'listener-arn': sandbox.seeded.loadBalancer.httpsListenerArn,
      'cloudflare-zone-id': sandbox.cloudflare.zoneId,
      'cloudflare-api-token': sandbox.cloudflare.apiToken,
      notify: 'false',
    },
    env: {
      AWS_ENDPOINT_URL: sandbox.aws.directUrl,
      AWS_REGION: sandbox.aws.region,
      AWS_ACCESS_KEY_ID: sandbox.aws.accessKeyId,
      AWS_SECRET_ACCESS_KEY: sandbox.aws.secretAccessKey,
      CLOUDFLARE_BASE_URL: sandbox.cloudflare.directBaseUrl,
      GITHUB_API_URL: sandbox.github.apiUrl,
      GITHUB_GRAPHQL_URL: sandbox.github.graphqlUrl,
    },
    token: sandbox.github.token,
    timeoutMs: 120_000,
  });
  if (run.exitCode !== 0) {
    const errors = run.annotations.filter((a) => a.level === 'error').map((a) => a.message);
    throw new Error(`cleanup-stale for PR ${pr} exited ${run.exitCode}: ${errors.join(' | ') || run.stderr}`);
  }
}
