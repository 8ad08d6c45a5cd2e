import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DescribeServicesCommand, ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { explainFailure } from '@preview-actions/core/action';
import { clearIamDecisions, closeIamProxies, listIamDecisions } from '../runner/iam/iam-proxy.js';
import type { JobFacts, StandinResult } from '../runner/standin-api.js';
import { useConsumerRepo } from '../runner/standins/actions-checkout.js';
import { listRoleAssumptions } from '../runner/standins/aws-actions-configure-aws-credentials.js';
import { createConsumerRepo, sandboxConsumerValues } from '../runner/standins/consumer-repo.js';
import { exampleJobFacts } from '../runner/standins/example-job.js';
import { StandinJob } from '../runner/standins/standin-job.js';
import { ensureSandbox } from '../sandbox/ensure.js';
import type { SandboxEndpoints } from '../sandbox/endpoints.js';

/**
 * The stand-ins for third-party actions against the running sandbox, as the preview job of
 * pr-environment.yml chains them: checkout, configure-aws-credentials (OIDC, trust policy, IAM proxy),
 * amazon-ecr-login (through the proxy), setup-buildx, build-push (buildah into the basic registry), then an
 * AWS call our actions make, allowed or denied at resource level. Each step's exports feed the next, as the
 * runner's GITHUB_ENV would.
 */

const PREVIEW_ROLE = 'arn:aws:iam::123456789012:role/preview-actions-preview';
let sandbox: SandboxEndpoints;
let workspace: string;
let runnerTemp: string;
const namespace = `standins-${Date.now().toString(36)}`;

/** The preview job of pr-environment.yml for pull request 7. */
function job(overrides: Partial<JobFacts> = {}): JobFacts {
  return exampleJobFacts({
    workflowFile: '.github/workflows/pr-environment.yml',
    jobId: 'deploy',
    environment: 'preview',
    eventName: 'pull_request',
    ref: 'refs/pull/7/merge',
    ...overrides,
  });
}

/** configure-aws-credentials for the preview role, as the preview templates call it. */
function assumePreview(on: StandinJob, extra: Record<string, string> = {}): Promise<StandinResult> {
  return on.step('aws-actions/configure-aws-credentials@v4', {
    'role-to-assume': PREVIEW_ROLE,
    'aws-region': 'us-east-1',
    ...extra,
  });
}

function sandboxEnv(): Record<string, string> {
  return { ...sandbox.env, RUNNER_TEMP: runnerTemp, GITHUB_WORKSPACE: workspace };
}

beforeAll(async () => {
  sandbox = await ensureSandbox();
  workspace = mkdtempSync(join(tmpdir(), 'standins-ws-'));
  runnerTemp = mkdtempSync(join(tmpdir(), 'standins-temp-'));
});

afterAll(async () => {
  useConsumerRepo(undefined);
  await closeIamProxies();
  rmSync(workspace, { recursive: true, force: true });
  rmSync(runnerTemp, { recursive: true, force: true });
});

describe('the preview job chain on the sandbox', () => {
  const repo = () =>
    createConsumerRepo({
      commits: [{ message: 'feature' }],
      refs: { 'refs/pull/7/merge': 1 },
      values: sandboxConsumerValues(sandbox),
    });
  let preview: StandinJob;

  beforeAll(() => {
    useConsumerRepo(repo());
    preview = new StandinJob(job({ sha: repo().commits[1]! }), sandboxEnv(), workspace);
  });

  it('checks out the pull request with the environment file filled for the sandbox', async () => {
    expect(await preview.step('actions/checkout@v4')).toMatchObject({
      outcome: 'success',
      outputs: { commit: repo().commits[1] },
    });
    const file = readFileSync(join(workspace, '.github/preview.yml'), 'utf8');
    expect(file).toContain(`listener-arn: ${sandbox.seeded.loadBalancer.httpsListenerArn}\n`);
  });

  it('assumes the preview role from the preview environment and points AWS at the IAM proxy', async () => {
    const result = await assumePreview(preview);
    expect(result).toMatchObject({
      outcome: 'success',
      outputs: {
        'aws-account-id': '123456789012',
        'authenticated-arn': 'arn:aws:sts::123456789012:assumed-role/preview-actions-preview/GitHubActions',
      },
    });
    expect(preview.env.AWS_ENDPOINT_URL).not.toBe(sandbox.aws.url);
    expect(preview.masks).toEqual(
      expect.arrayContaining([
        preview.env.AWS_ACCESS_KEY_ID,
        preview.env.AWS_SECRET_ACCESS_KEY,
        preview.env.AWS_SESSION_TOKEN,
      ]),
    );
    expect(listRoleAssumptions().at(-1)).toEqual({
      roleArn: PREVIEW_ROLE,
      sub: 'repo:octo-org/shop:environment:preview',
      allowed: true,
    });
  });

  it("configuring again puts the proxy in front of the sandbox, not of the job's first proxy", async () => {
    const again = new StandinJob(preview.facts, preview.env, workspace);
    expect(await assumePreview(again, { 'role-session-name': 'second' })).toMatchObject({ outcome: 'success' });
    expect(again.env.AWS_ENDPOINT_URL).toBe(preview.env.AWS_ENDPOINT_URL);
    expect(again.env.AWS_ACCESS_KEY_ID).not.toBe(preview.env.AWS_ACCESS_KEY_ID);
  });

  it('logs in to ECR through the proxy, and to the registry standing in for its data plane', async () => {
    clearIamDecisions();
    const result = await preview.step('aws-actions/amazon-ecr-login@v2');
    expect(result).toMatchObject({
      outcome: 'success',
      outputs: { registry: expect.stringMatching(/\.dkr\.ecr\.us-east-1\.amazonaws\.com$/) },
    });
    expect(listIamDecisions().map((d) => [d.operation, d.resource, d.allowed])).toEqual([
      ['ecr:GetAuthorizationToken', '*', true],
    ]);
    const config = JSON.parse(readFileSync(preview.env.REGISTRY_AUTH_FILE!, 'utf8')) as {
      auths: Record<string, unknown>;
    };
    expect(Object.keys(config.auths)).toContain(sandbox.registries.basic.host);
  });

  it('builds with buildah and pushes every tag under one digest', async () => {
    expect(await preview.step('docker/setup-buildx-action@v3')).toMatchObject({
      outcome: 'success',
      outputs: { driver: 'docker-container' },
    });
    const image = `${sandbox.registries.basic.host}/${namespace}/app`;
    const result = await preview.step('docker/build-push-action@v6', {
      push: 'true',
      tags: `${image}:pr-7\n${image}:sha-${repo().commits[1]!.slice(0, 7)}`,
    });
    expect(result).toMatchObject({
      outcome: 'success',
      outputs: { digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) },
    });
    const inspect = (tag: string) =>
      JSON.parse(
        execFileSync(
          'skopeo',
          ['inspect', '--tls-verify=false', '--authfile', preview.env.REGISTRY_AUTH_FILE!, `docker://${image}:${tag}`],
          { encoding: 'utf8' },
        ),
      ) as { Digest: string; Labels: Record<string, string> };
    expect(inspect('pr-7').Digest).toBe(result.outputs!.digest);
    expect(inspect(`sha-${repo().commits[1]!.slice(0, 7)}`).Digest).toBe(result.outputs!.digest);
    expect(inspect('pr-7').Labels['org.opencontainers.image.title']).toBe('monolith');
  });

  it('lets the role reach moto for a preview service and denies the production one, as AWS words it', async () => {
    clearIamDecisions();
    const ecs = new ECSClient({
      region: 'us-east-1',
      endpoint: preview.env.AWS_ENDPOINT_URL!,
      maxAttempts: 1,
      credentials: {
        accessKeyId: preview.env.AWS_ACCESS_KEY_ID!,
        secretAccessKey: preview.env.AWS_SECRET_ACCESS_KEY!,
        sessionToken: preview.env.AWS_SESSION_TOKEN!,
      },
    });
    const described = await ecs.send(
      new DescribeServicesCommand({ cluster: sandbox.seeded.clusters.previews, services: ['pr-7-api'] }),
    );
    expect(described.failures?.[0]?.reason).toBe('MISSING'); // moto answered: the call got through
    const denied = await ecs
      .send(
        new UpdateServiceCommand({ cluster: sandbox.seeded.clusters.production, service: 'api-prod', desiredCount: 0 }),
      )
      .catch((e: unknown) => e);
    expect(denied).toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining(
        'is not authorized to perform: ecs:UpdateService on resource: arn:aws:ecs:us-east-1:123456789012:service/services-prod/api-prod',
      ),
    });
    expect(explainFailure(denied)?.usersToFix).toBe(true);
    expect(listIamDecisions().map((d) => [d.operation, d.allowed])).toEqual([
      ['ecs:DescribeServices', true],
      ['ecs:UpdateService', false],
    ]);
    ecs.destroy();
  });
});

describe('OIDC refusals', () => {
  it('fails as the real action does without id-token: write', async () => {
    const noToken = new StandinJob(job({ canRequestIdToken: false }), sandboxEnv(), workspace);
    const result = await assumePreview(noToken);
    expect(result).toEqual({
      outcome: 'failure',
      error:
        'Credentials could not be loaded, please check your action inputs: Could not load credentials from any providers',
    });
    expect(noToken.log[0]).toMatch(/Did you mean to set the `id-token` permission\?/);
  });

  it('is refused by STS for a pull_request run outside the preview environment', async () => {
    const forked = new StandinJob(job({ environment: undefined }), sandboxEnv(), workspace);
    const result = await assumePreview(forked);
    expect(result).toEqual({
      outcome: 'failure',
      error: 'Could not assume role with OIDC: Not authorized to perform sts:AssumeRoleWithWebIdentity',
    });
    expect(forked.log.join('\n')).toContain("does not trust sub 'repo:octo-org/shop:pull_request'");
    expect(forked.env.AWS_ENDPOINT_URL).toBe(sandbox.aws.url);
  });

  it('refuses an input it does not implement', async () => {
    const result = await assumePreview(new StandinJob(job(), sandboxEnv(), workspace), { 'role-chaining': 'true' });
    expect(result).toMatchObject({
      outcome: 'failure',
      error: expect.stringContaining("input 'role-chaining' is not implemented"),
    });
  });
});

describe('docker/login-action', () => {
  it('records a login the registry accepts, for buildah and for our actions (DOCKER_CONFIG)', async () => {
    const login = new StandinJob(
      job({ environment: 'production', eventName: 'push', ref: 'refs/tags/v1.0.0' }),
      sandboxEnv(),
      workspace,
    );
    const { host, username, password } = sandbox.registries.token;
    expect(await login.step('docker/login-action@v3', { registry: host, username, password })).toEqual({
      outcome: 'success',
      exportEnv: {
        DOCKER_CONFIG: join(runnerTemp, 'docker-config'),
        REGISTRY_AUTH_FILE: join(runnerTemp, 'docker-config', 'config.json'),
      },
    });
    const config = JSON.parse(readFileSync(join(runnerTemp, 'docker-config', 'config.json'), 'utf8')) as {
      auths: Record<string, { auth: string }>;
    };
    expect(Buffer.from(config.auths[host]!.auth, 'base64').toString()).toBe(`${username}:${password}`);
    expect(login.masks).toContain(password);
  });

  it('fails on credentials the registry rejects, and on a registry outside the sandbox', async () => {
    const login = new StandinJob(
      job(),
      { ...sandboxEnv(), RUNNER_TEMP: mkdtempSync(join(tmpdir(), 'standins-temp-')) },
      workspace,
    );
    const rejected = await login.step('docker/login-action@v3', {
      registry: sandbox.registries.basic.host,
      username: 'nobody',
      password: 'wrong',
    });
    expect(rejected).toMatchObject({
      outcome: 'failure',
      error: expect.stringContaining(`login to ${sandbox.registries.basic.host} failed`),
    });
    const ghcr = await login.step('docker/login-action@v3', {
      registry: 'ghcr.io',
      username: 'octocat',
      password: 'x',
    });
    expect(ghcr).toMatchObject({
      outcome: 'failure',
      error: expect.stringContaining("registry 'ghcr.io' is not a sandbox registry"),
    });
  });
});
