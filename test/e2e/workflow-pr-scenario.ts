/**
 * What the pull-request template scenarios (workflow-pr-environment, workflow-pr-commands) share: a repository in
 * the GitHub stand-in whose pull request's head commits are the consumer repository's real commits (so the
 * checkout stand-in, the image tags and the Deployments all name the same shas), a world with the image repository
 * in the sandbox's basic registry, and readers for everything a preview owns.
 */
import { CreateLogStreamCommand, DescribeLogStreamsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { ListTaskDefinitionsCommand, DescribeTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { Redis } from 'ioredis';
import { closeIamProxies, listIamDecisions } from '../runner/iam/iam-proxy.js';
import { issueCommentEvent, pullRequestEvent } from '../harness/events.js';
import { useConsumerRepo } from '../runner/standins/actions-checkout.js';
import { createConsumerRepo, sandboxConsumerValues, type ConsumerRepo } from '../runner/standins/consumer-repo.js';
import { createSandboxWorld } from '../runner/sandbox-world.js';
import type { RunRecord } from '../runner/run-result.js';
import type { QueuedEvent } from '../runner/event-trigger.js';
import type { World, WorldOptions } from '../runner/world.js';
import { createSandboxAwsClients, destroySandboxAwsClients, type SandboxAwsClients } from '../sandbox/aws-clients.js';
import type { SandboxEndpoints } from '../sandbox/endpoints.js';
import { createGitHubAdminClient, type GitHubAdminClient } from '../standins/github/admin-client.js';
import { readPreviewResources } from './seed-000-environment.js';

/** One scenario's repository, pull request and world. */
export interface PrScenario {
  sandbox: SandboxEndpoints;
  github: GitHubAdminClient;
  aws: SandboxAwsClients;
  /** `owner/name` in the GitHub stand-in. */
  fullName: string;
  pr: number;
  /** The consumer repository; commits[0] is the PR's first head, the others are pushed later. */
  consumer: ConsumerRepo;
  /** `host/namespace/app` in the basic registry: PREVIEW_IMAGE_REPOSITORY and the environment file's. */
  image: string;
  world: World;
}

/**
 * Makes a fresh repository with one open pull request (number `pr`, head `consumer.commits[0]`) and a world for it.
 * Preview names are pr-N in the sandbox's shared cluster, listener and zone, so each scenario picks its own N.
 */
export async function createPrScenario(
  sandbox: SandboxEndpoints,
  options: { pr: number; commits?: number; world?: Partial<WorldOptions>; author?: string },
): Promise<PrScenario> {
  const suffix = `${process.pid.toString(36)}${Date.now().toString(36).slice(-5)}`;
  const owner = 'pr-scen-org';
  const name = `app-${options.pr}-${suffix}`;
  const namespace = `pr-scen-${suffix}`;
  const image = `${sandbox.registries.basic.host}/${namespace}/app`;
  const consumer = createConsumerRepo({
    commits: Array.from({ length: options.commits ?? 2 }, (_, i) => ({ message: `change ${i + 1}` })),
    values: sandboxConsumerValues(sandbox, `${namespace}/app`),
  });
  useConsumerRepo(consumer);
  const world = await createSandboxWorld(sandbox, {
    ...options.world,
    // the default branch is the consumer repository's main: issue_comment runs check it out
    repository: { owner, name, sha: consumer.head },
    vars: { PREVIEW_IMAGE_REPOSITORY: image, ...options.world?.vars },
  });
  const github = createGitHubAdminClient(sandbox.github.adminUrl);
  const fullName = `${owner}/${name}`;
  await github.call('createPullRequest', {
    repo: fullName,
    number: options.pr,
    shas: [consumer.commits[1]!],
    author: options.author ?? 'pr-scen-dev',
  });
  return {
    sandbox,
    github,
    aws: createSandboxAwsClients(sandbox.aws.directUrl),
    fullName,
    pr: options.pr,
    consumer,
    image,
    world,
  };
}

/** The pull_request event GitHub sends for the scenario's PR at `headSha` (from `headRepository` for a fork). */
export function pullRequestRun(
  scenario: PrScenario,
  action: 'opened' | 'synchronize' | 'closed',
  headSha: string,
  headRepository?: string,
): QueuedEvent {
  const event = pullRequestEvent(action, {
    repository: scenario.fullName,
    number: scenario.pr,
    headSha,
    ...(headRepository ? { headRepository } : {}),
  });
  return { name: 'pull_request', payload: event.payload as unknown as Record<string, unknown>, sha: headSha };
}

/** Posts the comment on the scenario's PR in the GitHub stand-in; returns the issue_comment event GitHub sends. */
export async function commentRun(
  scenario: PrScenario,
  author: string,
  body: string,
  authorType: 'User' | 'Bot' = 'User',
): Promise<QueuedEvent> {
  const record = await scenario.github.call('createComment', {
    repo: scenario.fullName,
    issueNumber: scenario.pr,
    body,
    author,
  });
  const event = issueCommentEvent('created', {
    repository: scenario.fullName,
    number: scenario.pr,
    body,
    author,
    commentId: record.id,
    authorType,
  });
  (event.payload.comment as { created_at: string }).created_at = record.createdAt;
  return { name: 'issue_comment', payload: event.payload as unknown as Record<string, unknown> };
}

/** A run that did not succeed, as one line: the refusal or each failed job's and step's error. */
export function describeFailure(run: RunRecord): string {
  const jobs = run.jobs
    .filter((job) => job.result !== 'success' && job.result !== 'skipped')
    .map((job) => `${job.id}: ${job.error ?? job.steps.find((s) => s.error)?.error ?? job.result}`);
  return [run.error, run.status, ...jobs].filter(Boolean).join('; ');
}

/** The AWS calls the roles' IAM proxies denied so far, one line each. */
export function listDenials(): string[] {
  return listIamDecisions()
    .filter((d) => !d.allowed)
    .map((d) => `${d.operation}: ${d.action} on ${d.resource} (${d.result})`);
}

/** Throws with the run's errors (and any AWS call denied) unless it completed successfully. */
export function expectRunSucceeded(run: RunRecord): void {
  if (run.status !== 'completed' || run.conclusion !== 'success')
    throw new Error(
      [
        `${run.workflow} run ${run.id} did not succeed: ${describeFailure(run)}`,
        'denied:',
        ...listDenials(),
        ...run.log.slice(-40),
      ].join('\n'),
    );
}

/** Each job's result, by id. */
export function jobResults(run: RunRecord): Record<string, string> {
  return Object.fromEntries(run.jobs.map((job) => [job.id, job.result]));
}

/**
 * What a running preview leaves besides the AWS resources deploy-pr-env makes: its log streams (the awslogs driver
 * writes `pr-N/<service>/<task>`) and its Redis keys (`pr-N…`). The sandbox runs no containers, so the scenario
 * writes them as the containers would.
 */
export async function writeRuntimeTraces(scenario: PrScenario): Promise<void> {
  const { sandbox, aws, pr } = scenario;
  for (const service of ['api', 'worker'])
    await aws.logs.send(
      new CreateLogStreamCommand({
        logGroupName: sandbox.seeded.logGroup,
        logStreamName: `pr-${pr}/${service}/0a1b2c`,
      }),
    );
  const redis = new Redis(sandbox.redis.url, { maxRetriesPerRequest: 2 });
  try {
    await redis.set(`pr-${pr}:cache:home`, '1');
    await redis.rpush(`pr-${pr}-celery`, 'job');
  } finally {
    redis.disconnect();
  }
}

/** Everything of the scenario's preview: AWS resources carrying its tags, DNS, log streams, Redis keys, Deployments. */
export async function readPreview(scenario: PrScenario) {
  const { sandbox, aws, pr, fullName } = scenario;
  const found = await readPreviewResources(sandbox, aws, pr, new RegExp(`^pr-${pr}-[a-z-]+$`));
  // only this repository's: a leftover of another suite under the same pr-N is not the scenario's
  const services = found.services.filter((s) => s.tags['preview-actions:repo'] === fullName);
  const host = `pr-${pr}.${sandbox.cloudflare.zoneName}`;
  const records = await fetch(
    `${sandbox.cloudflare.baseUrl}/zones/${sandbox.cloudflare.zoneId}/dns_records?name=${host}`,
    {
      headers: { authorization: `Bearer ${sandbox.cloudflare.apiToken}` },
    },
  ).then((r) => r.json() as Promise<{ result: { name: string }[] }>);
  const streams = await aws.logs.send(
    new DescribeLogStreamsCommand({ logGroupName: sandbox.seeded.logGroup, logStreamNamePrefix: `pr-${pr}/` }),
  );
  const redis = new Redis(sandbox.redis.url, { maxRetriesPerRequest: 2 });
  let keys: string[];
  try {
    keys = (await redis.keys(`pr-${pr}*`)).sort();
  } finally {
    redis.disconnect();
  }
  const snapshot = await scenario.github.call('snapshot');
  const deployments = snapshot.deployments
    .filter((d) => d.repo === fullName)
    .map((d) => ({
      environment: d.environment,
      sha: d.sha,
      states: snapshot.deploymentStatuses.filter((s) => s.deploymentId === d.id).map((s) => s.state),
    }));
  const comments = snapshot.comments.filter((c) => c.repo === fullName && c.issueNumber === pr);
  return {
    services: services.map((s) => ({ name: s.name, taskDefinition: s.service?.taskDefinition ?? '' })),
    rules: found.rules.length,
    targetGroups: found.groups.map((g) => g.TargetGroupName),
    records: records.result.map((r) => r.name),
    logStreams: (streams.logStreams ?? []).map((s) => s.logStreamName),
    redisKeys: keys,
    deployments,
    comments,
  };
}

/** The image each of the preview's services runs (its task definition's first container). */
export async function readServiceImages(scenario: PrScenario): Promise<string[]> {
  const { services } = await readPreview(scenario);
  const images: string[] = [];
  for (const service of services) {
    const { taskDefinition } = await scenario.aws.ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: service.taskDefinition }),
    );
    images.push(taskDefinition?.containerDefinitions?.[0]?.image ?? '');
  }
  return images;
}

/** The ACTIVE task-definition revisions of the preview's families (moto's ListTaskDefinitions ignores `status`). */
export async function readActiveTaskDefinitions(scenario: PrScenario): Promise<string[]> {
  const arns: string[] = [];
  for (const service of ['api', 'worker']) {
    const { taskDefinitionArns } = await scenario.aws.ecs.send(
      new ListTaskDefinitionsCommand({ familyPrefix: `pr-${scenario.pr}-${service}`, status: 'ACTIVE' }),
    );
    for (const arn of taskDefinitionArns ?? []) {
      const { taskDefinition } = await scenario.aws.ecs.send(
        new DescribeTaskDefinitionCommand({ taskDefinition: arn }),
      );
      if (taskDefinition?.status === 'ACTIVE') arns.push(arn);
    }
  }
  return arns;
}

/** A PR suite's afterAll: the checkout stand-in back to its default repository, the AWS clients, the IAM proxies. */
export async function releasePrScenarios(scenarios: PrScenario[]): Promise<void> {
  useConsumerRepo(undefined);
  for (const scenario of scenarios) destroySandboxAwsClients(scenario.aws);
  await closeIamProxies();
}
