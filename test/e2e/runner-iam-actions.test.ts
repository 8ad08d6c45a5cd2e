import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CreateClusterCommand, CreateServiceCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { toEcsTags } from '@preview-actions/core/ecs';
import { createOwnershipTags } from '@preview-actions/core/preview';
import { runActionBundle, workflowDispatchEvent, type ActionRun } from '../harness/index.js';
import { registerRoleBinding, resetRoleBindings } from '../runner/iam/sandbox-roles.js';
import { clearIamDecisions, closeIamProxies, listIamDecisions, type IamDecision } from '../runner/iam/iam-proxy.js';
import type { JobFacts } from '../runner/standin-api.js';
import { useConsumerRepo } from '../runner/standins/actions-checkout.js';
import { createConsumerRepo, sandboxConsumerValues } from '../runner/standins/consumer-repo.js';
import { exampleJobFacts } from '../runner/standins/example-job.js';
import { StandinJob } from '../runner/standins/standin-job.js';
import { createSandboxActionEnv } from '../sandbox/action-env.js';
import { createSandboxAwsClients, destroySandboxAwsClients } from '../sandbox/aws-clients.js';
import { ensureSandbox } from '../sandbox/ensure.js';
import { deploySeed000, removePreviewEnvironment } from './seed-000-environment.js';
import type { SandboxEndpoints } from '../sandbox/endpoints.js';

/**
 * Our bundled actions under the roles' shipped policies (docs/iam), through the IAM proxy the
 * configure-aws-credentials stand-in sets up: deploy-pr-env then cleanup-stale for one pull request under the
 * preview role, scale-schedule on a throwaway cluster, as the preview templates run them, and retag-promote redeploying production under the
 * production role, as release.yml's final job does. Every AWS call is evaluated at resource level; the suite
 * passes only when the actions succeed and no call was denied, so a policy or a resource mapping that is too
 * narrow shows here.
 */

const PREVIEW_ROLE = 'arn:aws:iam::123456789012:role/preview-actions-preview';
const PRODUCTION_ROLE = 'arn:aws:iam::123456789012:role/preview-actions-production';
const namespace = `iam-${Date.now().toString(36)}`;
const pr = 900 + Math.floor(Math.random() * 99);
let sandbox: SandboxEndpoints;
let workspace: string;
let runnerTemp: string;
let preview: StandinJob;

/** The preview job of pr-environment.yml for the suite's pull request. */
function facts(): JobFacts {
  return exampleJobFacts({
    workflowFile: '.github/workflows/pr-environment.yml',
    jobId: 'deploy',
    environment: 'preview',
    eventName: 'pull_request',
    ref: `refs/pull/${pr}/merge`,
    repository: 'octo-org/octo-repo',
  });
}

/** The calls the proxy denied, as one readable line each. */
function denials(): string[] {
  return listIamDecisions()
    .filter((d) => !d.allowed)
    .map((d: IamDecision) => `${d.operation}: ${d.action} on ${d.resource} (${d.result})`);
}

/** No call denied, then the action succeeded (else its errors, to read in the failure). */
function expectAllowedAndSucceeded(run: ActionRun): void {
  expect(denials()).toEqual([]);
  const errors = run.annotations.map((a) => a.message).join(' | ') || run.stderr.slice(-2000);
  expect({ exitCode: run.exitCode, errors: run.exitCode === 0 ? '' : errors }).toEqual({ exitCode: 0, errors: '' });
}

beforeAll(async () => {
  sandbox = await ensureSandbox();
  workspace = mkdtempSync(join(tmpdir(), 'iam-actions-ws-'));
  runnerTemp = mkdtempSync(join(tmpdir(), 'iam-actions-temp-'));
  const image = `${namespace}/app`;
  const repo = createConsumerRepo({
    refs: { [`refs/pull/${pr}/merge`]: 0 },
    values: sandboxConsumerValues(sandbox, image),
  });
  useConsumerRepo(repo);
  preview = new StandinJob({ ...facts(), sha: repo.head }, { ...sandbox.env, RUNNER_TEMP: runnerTemp }, workspace);
  // the preview job's steps before our actions, as pr-environment.yml has them
  await preview.succeed('actions/checkout');
  await preview.succeed('aws-actions/configure-aws-credentials', {
    'role-to-assume': PREVIEW_ROLE,
    'aws-region': 'us-east-1',
  });
  await preview.succeed('aws-actions/amazon-ecr-login');
  await preview.succeed('docker/build-push-action', {
    push: 'true',
    tags: `${sandbox.registries.basic.host}/${image}:pr-${pr}`,
  });
});

afterAll(async () => {
  useConsumerRepo(undefined);
  await closeIamProxies();
  rmSync(workspace, { recursive: true, force: true });
  rmSync(runnerTemp, { recursive: true, force: true });
});

/** What the job's steps left for AWS and registries (role credentials, the proxy, the logins), over the sandbox's. */
function roleEnv(from = preview.env): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: from.AWS_ENDPOINT_URL!,
    AWS_ACCESS_KEY_ID: from.AWS_ACCESS_KEY_ID!,
    AWS_SECRET_ACCESS_KEY: from.AWS_SECRET_ACCESS_KEY!,
    AWS_SESSION_TOKEN: from.AWS_SESSION_TOKEN!,
    DOCKER_CONFIG: from.DOCKER_CONFIG!,
  };
}

describe('the preview role on our actions', () => {
  it('deploy-pr-env deploys with every call allowed', async () => {
    clearIamDecisions();
    const run = await deploySeed000(sandbox, { pr, workspace, awsUrl: preview.env.AWS_ENDPOINT_URL!, env: roleEnv() });
    expectAllowedAndSucceeded(run);
    expect(listIamDecisions().length).toBeGreaterThan(5);
  });

  it('cleanup-stale tears it down with every call allowed', async () => {
    clearIamDecisions();
    const failed = await removePreviewEnvironment(sandbox, pr, { env: roleEnv() }).then(
      () => '',
      (error: Error) => error.message,
    );
    expect(denials()).toEqual([]);
    expect(failed).toBe('');
  });
});

describe('the production role on our actions', () => {
  it('retag-promote promotes the RC image and redeploys production with every call allowed', async () => {
    const release = new StandinJob(
      { ...preview.facts, jobId: 'release', environment: 'production', eventName: 'push', ref: 'refs/tags/v1.0.0' },
      { ...sandbox.env, RUNNER_TEMP: mkdtempSync(join(tmpdir(), 'iam-actions-release-')) },
      workspace,
    );
    const registry = `${sandbox.registries.basic.host}/${namespace}`;
    const { username, password } = sandbox.registries.basic;
    // release.yml's steps before the promotion, with the sandbox registry in ghcr.io's place
    await release.succeed('docker/login-action', { registry: sandbox.registries.basic.host, username, password });
    await release.succeed('docker/build-push-action', {
      context: 'services/api',
      push: 'true',
      tags: `${registry}/api:v1.0.0-rc.1`,
    });
    await release.succeed('aws-actions/configure-aws-credentials', {
      'role-to-assume': PRODUCTION_ROLE,
      'aws-region': 'us-east-1',
    });
    const service = `api-${namespace}`;
    const aws = createSandboxAwsClients(sandbox.aws.directUrl);
    try {
      const { taskDefinition } = await aws.ecs.send(
        new RegisterTaskDefinitionCommand({
          family: service,
          containerDefinitions: [{ name: 'app', image: `${registry}/api:prod`, memory: 128 }],
        }),
      );
      await aws.ecs.send(
        new CreateServiceCommand({
          cluster: sandbox.seeded.clusters.production,
          serviceName: service,
          taskDefinition: taskDefinition!.taskDefinitionArn,
          desiredCount: 1,
          launchType: 'EC2',
        }),
      );
    } finally {
      destroySandboxAwsClients(aws);
    }
    clearIamDecisions();
    const run = await runActionBundle({
      action: 'retag-promote',
      inputs: {
        registry,
        services: 'api',
        'source-tag': 'v1.0.0-rc.1',
        'target-tags': 'v1.0.0\nprod',
        cluster: sandbox.seeded.clusters.production,
        'ecs-services': `api=${service}`,
        'wait-timeout': '30',
      },
      env: { ...createSandboxActionEnv(sandbox), ...roleEnv(release.env) },
      token: sandbox.github.token,
      timeoutMs: 300_000,
    });
    expectAllowedAndSucceeded(run);
    expect(listIamDecisions()).toContainEqual(
      expect.objectContaining({
        action: 'ecs:UpdateService',
        resource: `arn:aws:ecs:us-east-1:123456789012:service/${sandbox.seeded.clusters.production}/${service}`,
        allowed: true,
      }),
    );
  });
});

// scale-schedule acts on every preview of a cluster, so it runs on a throwaway one (the shared preview cluster
// holds other suites' previews), under a role whose policies name that cluster.
describe('a preview role on a throwaway cluster, for scale-schedule', () => {
  const cluster = `${namespace}-scale`;
  const scaleRole = 'arn:aws:iam::123456789012:role/preview-actions-preview-scale';
  const repository = 'octo-org/octo-repo';

  beforeAll(async () => {
    registerRoleBinding({
      roleArn: scaleRole,
      trustPolicyFile: 'docs/iam/oidc-trust-preview.json',
      permissionPolicyFiles: ['docs/iam/scale-schedule.json'],
      placeholders: { PREVIEW_CLUSTER: cluster },
    });
    const aws = createSandboxAwsClients(sandbox.aws.directUrl);
    try {
      await aws.ecs.send(new CreateClusterCommand({ clusterName: cluster }));
      const { taskDefinition } = await aws.ecs.send(
        new RegisterTaskDefinitionCommand({
          family: `${namespace}-scale-api`,
          containerDefinitions: [{ name: 'api', image: 'nginx', memory: 128 }],
        }),
      );
      await aws.ecs.send(
        new CreateServiceCommand({
          cluster,
          serviceName: `pr-${pr}-api`,
          taskDefinition: taskDefinition!.taskDefinitionArn,
          desiredCount: 3,
          tags: toEcsTags(createOwnershipTags({ repo: repository, pr, service: 'api', deployedAt: new Date() })),
        }),
      );
    } finally {
      destroySandboxAwsClients(aws);
    }
  });

  afterAll(() => resetRoleBindings());

  async function scale(roleArn: string, mode: string): Promise<ActionRun> {
    const job = new StandinJob(
      { ...preview.facts, jobId: 'scale', eventName: 'workflow_dispatch', ref: 'refs/heads/main' },
      { ...sandbox.env, RUNNER_TEMP: runnerTemp },
      workspace,
    );
    await job.succeed('aws-actions/configure-aws-credentials', {
      'role-to-assume': roleArn,
      'aws-region': 'us-east-1',
    });
    clearIamDecisions();
    return runActionBundle({
      action: 'scale-schedule',
      repository,
      event: workflowDispatchEvent({ mode }, { repository }),
      inputs: { cluster, mode },
      env: { ...createSandboxActionEnv(sandbox), ...roleEnv(job.env) },
      timeoutMs: 120_000,
    });
  }

  it('scales down and back up with every call allowed', async () => {
    for (const mode of ['down', 'up']) {
      expectAllowedAndSucceeded(await scale(scaleRole, mode));
      expect(listIamDecisions()).toContainEqual(
        expect.objectContaining({
          action: 'ecs:UpdateService',
          resource: `arn:aws:ecs:us-east-1:123456789012:service/${cluster}/pr-${pr}-api`,
          allowed: true,
        }),
      );
    }
  });

  it('is denied by the preview role, whose policies name only the shared preview cluster', async () => {
    const run = await scale(PREVIEW_ROLE, 'down');
    expect(run.exitCode).not.toBe(0);
    expect(denials()).toEqual([
      // it remembers the full count in a tag before scaling: the first write, and the first denied
      `ecs:TagResource: ecs:TagResource on arn:aws:ecs:us-east-1:123456789012:service/${cluster}/pr-${pr}-api (ImplicitlyDenied)`,
    ]);
    // the failure names the summary, which carries AWS's words
    expect(run.summary).toContain('is not authorized to perform: ecs:TagResource');
  });
});
