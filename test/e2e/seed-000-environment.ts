import { DescribeTargetGroupsCommand, type Rule, type TargetGroup } from '@aws-sdk/client-elastic-load-balancing-v2';
import { listListenerRules } from '@preview-actions/core/alb';
import { describeServicesBatched, listServiceArns, type ServiceDescription } from '@preview-actions/core/ecs';
import type { SandboxAwsClients } from '../sandbox/aws-clients.js';
import type { SandboxEndpoints } from '../sandbox/endpoints.js';
import { pullRequestEvent, runActionBundle, type ActionRun } from '../harness/index.js';
import { createSandboxActionEnv } from '../sandbox/action-env.js';

/**
 * The sandbox half of a deploy-pr-env environment file (domain, cluster, listener, VPC, priorities, images from
 * the basic-auth registry's previews/app); append a `services:` block.
 */
export function renderSandboxEnvironmentHeader(sandbox: SandboxEndpoints, ttlHours = 24): string {
  const seeded = sandbox.seeded;
  return `domain: ${sandbox.cloudflare.zoneName}
cluster: ${seeded.clusters.previews}
listener-arn: ${seeded.loadBalancer.httpsListenerArn}
vpc-id: ${seeded.vpcId}
priority-range: 1000-1999
ttl-hours: ${ttlHours}
image-repository: ${sandbox.registries.basic.host}/previews/app
`;
}

/**
 * Seed 000's stack as a deploy-pr-env environment file on the sandbox: api on /api/*, admin on /admin/*,
 * three celery workers.
 */
export function renderSeed000EnvironmentFile(sandbox: SandboxEndpoints, ttlHours = 24): string {
  return `${renderSandboxEnvironmentHeader(sandbox, ttlHours)}services:
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
 * Runs the bundled deploy-pr-env for `pr` on the sandbox with the environment file at `file` in `workspace`,
 * AWS (and optionally Cloudflare) through the caller's private proxy. The sandbox's ECS runs the image's behaviour
 * and registers the tasks as targets, so both waits keep their defaults: push `previews/app:pr-N` first.
 */
export function deploySeed000(
  sandbox: SandboxEndpoints,
  options: {
    pr: number;
    workspace: string;
    awsUrl: string;
    cloudflareUrl?: string;
    file?: string;
    inputs?: Record<string, string>;
    timeoutMs?: number;
    /** Run with RUNNER_DEBUG=1, so debug lines are part of what the run prints. */
    debug?: boolean;
    /** Variables over the sandbox's, e.g. a role session's AWS credentials. */
    env?: Record<string, string>;
    /** `owner/name` the run is in; default the harness's octo-org/octo-repo. */
    repository?: string;
  },
): Promise<ActionRun> {
  return runActionBundle({
    action: 'deploy-pr-env',
    ...(options.repository && { repository: options.repository }),
    workspace: options.workspace,
    event: pullRequestEvent('opened', { number: options.pr }),
    inputs: {
      'environment-file': options.file ?? '.github/preview.yml',
      'cloudflare-api-token': sandbox.cloudflare.apiToken,
      'registry-username': sandbox.registries.basic.username,
      'registry-password': sandbox.registries.basic.password,
      'wait-timeout': '60',
      ...options.inputs,
    },
    env: {
      ...createSandboxActionEnv(sandbox, {
        aws: options.awsUrl,
        ...(options.cloudflareUrl && { cloudflare: options.cloudflareUrl }),
      }),
      ...options.env,
    },
    token: sandbox.github.token,
    timeoutMs: options.timeoutMs ?? 300_000,
    debug: options.debug ?? false,
  });
}

/**
 * Tears down the preview of `pr` with the bundled cleanup-stale action, so a run does not leave rules and
 * target groups on the shared listener (its quotas are 100 each). Throws with the action's error when it fails.
 */
export async function removePreviewEnvironment(
  sandbox: SandboxEndpoints,
  pr: number,
  owner: {
    repository?: string;
    namePrefix?: string;
    /** Variables over the sandbox's (AWS straight to moto by default), e.g. a role session through the IAM proxy. */
    env?: Record<string, string>;
  } = {},
): Promise<void> {
  const run = await runActionBundle({
    action: 'cleanup-stale',
    ...(owner.repository && { repository: owner.repository }),
    event: pullRequestEvent('closed', { number: pr }),
    inputs: {
      'pr-number': String(pr),
      ...(owner.namePrefix && { 'name-prefix': owner.namePrefix }),
      cluster: sandbox.seeded.clusters.previews,
      'listener-arn': sandbox.seeded.loadBalancer.httpsListenerArn,
      'cloudflare-zone-id': sandbox.cloudflare.zoneId,
      'cloudflare-api-token': sandbox.cloudflare.apiToken,
      notify: 'false',
    },
    env: {
      ...createSandboxActionEnv(sandbox, { aws: sandbox.aws.directUrl, cloudflare: sandbox.cloudflare.directBaseUrl }),
      ...owner.env,
    },
    token: sandbox.github.token,
    timeoutMs: 120_000,
  });
  if (run.exitCode !== 0) {
    const errors = run.annotations.filter((a) => a.level === 'error').map((a) => a.message);
    throw new Error(`cleanup-stale for PR ${pr} exited ${run.exitCode}: ${errors.join(' | ') || run.stderr}`);
  }
}

/**
 * What the sandbox holds under `pr`'s names, read straight from moto: the ACTIVE services in the previews
 * cluster whose name matches `serviceName`, the shared listener's rules on the preview host, and the target
 * groups named `pr-{N}-…`. Callers decide what counts as ours (by tags or by name).
 */
export async function readPreviewResources(
  sandbox: SandboxEndpoints,
  aws: SandboxAwsClients,
  pr: number,
  serviceName: RegExp,
): Promise<{ services: ServiceDescription[]; rules: Rule[]; groups: TargetGroup[] }> {
  const cluster = sandbox.seeded.clusters.previews;
  const arns = (await listServiceArns(aws.ecs, cluster)).filter((arn) => serviceName.test(arn.split('/').pop() ?? ''));
  const services = (await describeServicesBatched(aws.ecs, cluster, arns)).filter((s) => s.status === 'ACTIVE');
  const host = `pr-${pr}.${sandbox.cloudflare.zoneName}`;
  const rules = (await listListenerRules(aws.elbv2, sandbox.seeded.loadBalancer.httpsListenerArn)).filter((r) =>
    r.Conditions?.some((c) => c.HostHeaderConfig?.Values?.includes(host)),
  );
  const groups = ((await aws.elbv2.send(new DescribeTargetGroupsCommand({}))).TargetGroups ?? []).filter((g) =>
    g.TargetGroupName?.startsWith(`pr-${pr}-`),
  );
  return { services, rules, groups };
}
