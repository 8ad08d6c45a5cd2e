import { CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateSecurityGroupCommand } from '@aws-sdk/client-ec2';
import { CreateRepositoryCommand, PutImageCommand } from '@aws-sdk/client-ecr';
import { CreateClusterCommand, CreateServiceCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateRuleCommand,
  CreateTargetGroupCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Redis } from 'ioredis';
import { toEcsTags } from '@preview-actions/core/ecs';
import { formatOwnerComment } from '@preview-actions/core/dns';
import { createEnvironmentName, createOwnershipTags } from '@preview-actions/core/preview';
import type { CloudflareStandIn } from '../standins/cloudflare/server.js';
import type { GitHubStandIn } from '../standins/github/server.js';
import type { SandboxAwsClients } from '../sandbox/aws-clients.js';
import { runActionBundle, type ActionRun } from '../harness/index.js';
import { scheduleEvent } from '../harness/events.js';
import { sandboxAwsCredentials, sandboxAwsRegion } from '../sandbox/sandbox-constants.js';
import { createClusterWithInstance } from '../sandbox/seed-aws.js';

/** A private cluster, load balancer, listener and log group, so the shared sandbox's other users never meet our previews. */
export interface CleanupStage {
  suffix: string;
  repo: string;
  cluster: string;
  listenerArn: string;
  logGroup: string;
  domain: string;
  /** The image the seeded services run: in the private moto's own ECR, which the sandbox's ECS resolves (healthy). */
  image: string;
}

/** One environment to seed, with the facts the sweep judges by. */
export interface SeedSpec {
  pr: number;
  services?: string[];
  deployedAt: Date;
  expiresAt?: Date;
  /** The environment file's ttl-hours at that deploy: expiresAt is then a real expiry. */
  ttlHours?: number;
  /** Last log event time; default deployedAt. */
  loggedAt?: Date;
  /** Seed resources named like ours but with no tags at all. */
  untagged?: boolean;
  /** The environment file's name-prefix: names start `{prefix}-pr-{N}`; default none. */
  namePrefix?: string;
}

/**
 * Makes the private stage in moto. With `runTasks`, the cluster gets a container instance, so its services run
 * tasks (a restart then has a deployment to wait for); without, ECS can place no task and the services stay empty,
 * which keeps sweeps over many environments cheap.
 */
export async function createCleanupStage(
  aws: SandboxAwsClients,
  network: { subnetIds: [string, string]; vpcId: string },
  suffix: string,
  options: { runTasks?: boolean } = {},
): Promise<CleanupStage> {
  const cluster = `h8-cleanup-${suffix}`;
  if (options.runTasks) {
    const group = await aws.ec2.send(
      new CreateSecurityGroupCommand({ GroupName: `h8-${suffix}`, Description: 'tasks', VpcId: network.vpcId }),
    );
    await createClusterWithInstance(aws, cluster, network.subnetIds[0], group.GroupId as string);
  } else {
    await aws.ecs.send(new CreateClusterCommand({ clusterName: cluster }));
  }
  const repository = `h8-app-${suffix}`;
  await aws.ecr.send(new CreateRepositoryCommand({ repositoryName: repository }));
  const pushed = await aws.ecr.send(
    new PutImageCommand({
      repositoryName: repository,
      imageTag: 'latest',
      imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json',
      imageManifest: JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${'1'.repeat(64)}`, size: 2 },
        layers: [],
      }),
    }),
  );
  const registryId = pushed.image?.registryId as string;
  const lb = await aws.elbv2.send(
    new CreateLoadBalancerCommand({
      Name: `h8-${suffix}`.slice(0, 32),
      Subnets: network.subnetIds,
      Type: 'application',
    }),
  );
  const listener = await aws.elbv2.send(
    new CreateListenerCommand({
      LoadBalancerArn: lb.LoadBalancers?.[0]?.LoadBalancerArn,
      Protocol: 'HTTP',
      Port: 80,
      DefaultActions: [
        { Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404', ContentType: 'text/plain' } },
      ],
    }),
  );
  const logGroup = `/h8/cleanup/${suffix}`;
  await aws.logs.send(new CreateLogGroupCommand({ logGroupName: logGroup }));
  return {
    suffix,
    repo: `h8-org/cleanup-${suffix}`,
    cluster,
    listenerArn: listener.Listeners?.[0]?.ListenerArn as string,
    logGroup,
    domain: `${suffix}.example.com`,
    image: `${registryId}.dkr.ecr.${sandboxAwsRegion}.amazonaws.com/${repository}:latest`,
  };
}

let nextPriority = 1;

/** Seeds every resource kind of one environment: task definitions, services, target groups, rules, DNS, logs, Redis keys. */
export async function seedEnvironment(
  deps: { aws: SandboxAwsClients; vpcId: string; stage: CleanupStage; cloudflare: CloudflareStandIn; redis: Redis },
  spec: SeedSpec,
): Promise<void> {
  const { aws, stage } = deps;
  const names = spec.services ?? ['api', 'worker'];
  const environment = createEnvironmentName(spec.pr, spec.namePrefix);
  for (const service of names) {
    const tags = spec.untagged
      ? {}
      : createOwnershipTags({
          repo: stage.repo,
          pr: spec.pr,
          service,
          deployedAt: spec.deployedAt,
          ...(spec.expiresAt ? { expiresAt: spec.expiresAt } : {}),
          ...(spec.ttlHours !== undefined ? { ttlHours: spec.ttlHours } : {}),
        });
    const name = `${environment}-${service}`;
    const td = await aws.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: name,
        containerDefinitions: [{ name: service, image: stage.image, memory: 128, cpu: 128 }],
        ...(spec.untagged ? {} : { tags: toEcsTags(tags) }),
      }),
    );
    await aws.ecs.send(
      new CreateServiceCommand({
        cluster: stage.cluster,
        serviceName: name,
        taskDefinition: td.taskDefinition?.taskDefinitionArn,
        desiredCount: 1,
        ...(spec.untagged ? {} : { tags: toEcsTags(tags) }),
      }),
    );
    const elbTags = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
    const tg = await aws.elbv2.send(
      new CreateTargetGroupCommand({
        Name: `${environment}-${service.slice(0, 3)}-${stage.suffix}`.slice(0, 32),
        Protocol: 'HTTP',
        Port: 80,
        VpcId: deps.vpcId,
        TargetType: 'ip',
        ...(elbTags.length ? { Tags: elbTags } : {}),
      }),
    );
    if (spec.untagged) continue;
    await aws.elbv2.send(
      new CreateRuleCommand({
        ListenerArn: stage.listenerArn,
        Priority: nextPriority++,
        Conditions: [
          { Field: 'host-header', HostHeaderConfig: { Values: [`${environment}.${stage.domain}`] } },
          { Field: 'path-pattern', PathPatternConfig: { Values: [`/${service}/*`] } },
        ],
        Actions: [{ Type: 'forward', TargetGroupArn: tg.TargetGroups?.[0]?.TargetGroupArn }],
        Tags: elbTags,
      }),
    );
    const stream = `${environment}/${service}/0123456789abcdef`;
    await aws.logs.send(new CreateLogStreamCommand({ logGroupName: stage.logGroup, logStreamName: stream }));
    await aws.logs.send(
      new PutLogEventsCommand({
        logGroupName: stage.logGroup,
        logStreamName: stream,
        logEvents: [{ timestamp: (spec.loggedAt ?? spec.deployedAt).getTime(), message: 'started' }],
      }),
    );
  }
  if (spec.untagged) return;
  deps.cloudflare.state.createRecord(deps.cloudflare.zoneId, {
    name: `${environment}.${stage.domain}`,
    type: 'CNAME',
    content: 'previews.elb.example.com',
    proxied: true,
    comment: formatOwnerComment({ repo: stage.repo, pr: spec.pr }),
  });
  await deps.redis.set(`${environment}:cache:${stage.suffix}`, '1');
  await deps.redis.rpush(`${environment}-celery`, 'job');
}

/** Opens PRs in the stand-in numbered from `first`, one per entry, with a success deployment to pr-{N} each. */
export function seedPullRequests(
  github: GitHubStandIn,
  repo: string,
  first: number,
  pulls: { labels?: string[]; closed?: boolean; merged?: boolean; deployed?: boolean }[],
): number[] {
  const record = github.state.readRepository(repo);
  record.nextNumber = first;
  return pulls.map((pull) => {
    const created = github.admin.createPullRequest({ repo, labels: pull.labels ?? [] });
    if (pull.deployed !== false) {
      const deployment = github.admin.createDeployment({
        repo,
        ref: created.head.sha,
        environment: `pr-${created.number}`,
        creator: 'preview-actions[bot]',
      });
      github.admin.createDeploymentStatus({
        repo,
        deploymentId: deployment.id,
        state: 'success',
        creator: 'preview-actions[bot]',
      });
    }
    if (pull.merged) github.admin.mergePullRequest({ repo, number: created.number });
    else if (pull.closed) github.admin.closePullRequest({ repo, number: created.number });
    return created.number;
  });
}

/** What an inventory of an environment that is completely gone counts, kind by kind. */
export const NOTHING_LEFT = {
  services: 0,
  rules: 0,
  groups: 0,
  taskDefinitions: 0,
  streams: 0,
  dns: 0,
  keys: 0,
  activeDeployments: 0,
};

/** Where a bundled cleanup-stale run finds its backends (directly, or through a fault proxy). */
export interface CleanupEndpoints {
  githubUrl: string;
  githubGraphqlUrl: string;
  cloudflareUrl: string;
  cloudflareZoneId: string;
  cloudflareToken: string;
  awsUrl: string;
  redisUrl: string;
}

/** The endpoints of private backends and in-process stand-ins, direct (no fault proxy). */
export function readCleanupEndpoints(
  backends: { awsUrl: string; redisUrl: string },
  github: GitHubStandIn,
  cloudflare: CloudflareStandIn,
  cloudflareToken: string,
): CleanupEndpoints {
  return {
    githubUrl: github.url,
    githubGraphqlUrl: github.graphqlUrl,
    cloudflareUrl: cloudflare.url,
    cloudflareZoneId: cloudflare.zoneId,
    cloudflareToken,
    awsUrl: backends.awsUrl,
    redisUrl: backends.redisUrl,
  };
}

/** Runs the bundled cleanup-stale as a scheduled sweep over `stage`, with `inputs` on top of the stage's own. */
export function runCleanupStale(
  stage: CleanupStage,
  endpoints: CleanupEndpoints,
  inputs: Record<string, string> = {},
  timeoutMs = 120_000,
): Promise<ActionRun> {
  return runActionBundle({
    action: 'cleanup-stale',
    repository: stage.repo,
    event: scheduleEvent('17 */6 * * *', { repository: stage.repo }),
    inputs: {
      cluster: stage.cluster,
      'listener-arn': stage.listenerArn,
      'log-group': stage.logGroup,
      'cloudflare-zone-id': endpoints.cloudflareZoneId,
      'cloudflare-api-token': endpoints.cloudflareToken,
      'redis-url': endpoints.redisUrl,
      ...inputs,
    },
    env: {
      GITHUB_API_URL: endpoints.githubUrl,
      GITHUB_GRAPHQL_URL: endpoints.githubGraphqlUrl,
      CLOUDFLARE_BASE_URL: endpoints.cloudflareUrl,
      AWS_ENDPOINT_URL: endpoints.awsUrl,
      AWS_REGION: sandboxAwsRegion,
      AWS_ACCESS_KEY_ID: sandboxAwsCredentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: sandboxAwsCredentials.secretAccessKey,
    },
    timeoutMs,
  });
}
