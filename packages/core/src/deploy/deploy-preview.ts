import type { ECSClient } from '@aws-sdk/client-ecs';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type Cloudflare from 'cloudflare';
import type { Clock } from '../action/clock.js';
import type { Logger } from '../action/logger.js';
import { routePreviewServices, type RoutedService } from '../alb/route-preview-services.js';
import { waitForHealthyTargets, type TargetHealthResult } from '../alb/wait-for-healthy-targets.js';
import { checkListenerVpc } from '../alb/read-listener-dns-name.js';
import { checkPreviewRecord } from '../dns/check-preview-record.js';
import { upsertPreviewRecord } from '../dns/upsert-preview-record.js';
import { registerTaskDefinitionWithTags } from '../ecs/register-task-definition.js';
import { upsertService } from '../ecs/upsert-service.js';
import { waitForServices, type ServiceWaitOutcome, type ServiceWaitTarget } from '../ecs/wait-for-services.js';
import type { PreviewEnvironmentConfig, PreviewServiceConfig } from '../preview/environment-config.js';
import { estimateDailyCost, type CostPrices, type DailyCostEstimate } from '../preview/estimate-daily-cost.js';
import { computeExpiresAt } from '../preview/expiry.js';
import { createEnvironmentName, createPreviewHost, createServiceName } from '../preview/naming.js';
import { createOwnershipTags, OWNERSHIP_TAG_KEYS } from '../preview/ownership-tags.js';
import { renderTaskDefinition } from '../preview/render-task-definition.js';
import { ConfigurationError } from '../action/errors.js';
import {
  createCommitImageTag,
  pinImageDigest,
  pinImageTag,
  resolveServiceImage,
} from '../preview/resolve-service-image.js';
import type { TaskDefinitionTemplate } from '../preview/task-definition-template.js';
import { mapConcurrent } from '../util/map-concurrent.js';
import type { BasicAuthCredentials } from './basic-auth.js';
import { checkPreviewServices } from './check-preview-services.js';
import { createPreviewUrls } from './preview-urls.js';

export type DnsMode = 'record' | 'wildcard' | 'none';

export interface DeployPreviewRequest {
  config: PreviewEnvironmentConfig;
  template?: TaskDefinitionTemplate;
  pr: number;
  /** `owner/name`. */
  repo: string;
  region: string;
  /** Digests known for this PR's images (e.g. build-double-tag's output); others are looked up. */
  digests: ReadonlyMap<string, string>;
  /**
   * The commit to deploy (40 hex digits): each image's tag becomes that commit's tag (`sha-<sha>`), which must
   * resolve to a digest, so a later push to the pull request never changes what is deployed.
   */
  commit?: string;
  dnsMode: DnsMode;
  /** The ALB's DNS name, the CNAME's target in record mode. */
  albDnsName: string;
  basicAuth?: BasicAuthCredentials;
  prices: CostPrices;
  waitTimeoutMs: number;
  /** 0 skips the target-health wait. */
  healthTimeoutMs: number;
}

export interface DeployPreviewDeps {
  ecs: ECSClient;
  elbv2: ElasticLoadBalancingV2Client;
  dns?: { client: Cloudflare; zoneId: string };
  /**
   * Resolves an image reference's digest: null when the registry answered that it has no such image, undefined
   * when it cannot say (unreachable, no credentials for it).
   */
  resolveDigest(image: string): Promise<string | null | undefined>;
  clock: Clock;
  log: Logger;
}

/** One service of the deployed environment. */
export interface DeployedService {
  name: string;
  serviceName: string;
  image: string;
  taskDefinition: string;
  action: 'created' | 'updated';
  targetGroup?: string;
  rulePriority?: number;
}

export interface DeployPreviewResult {
  environment: string;
  host: string;
  url: string;
  urls: Record<string, string>;
  services: DeployedService[];
  /**
   * When the sweep hibernates the environment (ttl-hours), kept later by an earlier `/extend`; unset, it has no
   * expiry by time and goes after max-idle-hours without activity.
   */
  expiresAt?: Date;
  /** An `/extend` that keeps an environment without ttl-hours out of the idle sweep until then. */
  keptUntil?: Date;
  cost: DailyCostEstimate;
  rollout: ServiceWaitOutcome[];
  health?: TargetHealthResult;
  dnsRecord?: { action: string; recordId: string };
  /** Set when the environment did not become healthy; everything made stays tagged for a re-run or cleanup. */
  failure?: string;
}

async function pinImages(request: DeployPreviewRequest, deps: DeployPreviewDeps): Promise<Map<string, string>> {
  const images = new Map<string, string>();
  await mapConcurrent(request.config.services, 4, async (service) => {
    const pattern = resolveServiceImage(service, request.pr, request.config.imageRepository);
    const image = request.commit ? pinImageTag(pattern, createCommitImageTag(request.commit)) : pattern;
    const digest = request.digests.get(service.name) ?? (await deps.resolveDigest(image));
    if (!digest && request.commit)
      throw new ConfigurationError(
        `${service.name}: no image ${image} for commit ${request.commit}: the pull-request workflow must push the ${createCommitImageTag('<sha>')} tag for every commit it builds; wait for that build, or deploy without 'sha'`,
      );
    // ECS would only fail every task with CannotPullContainerError after the whole environment was made.
    if (digest === null)
      throw new ConfigurationError(
        `${service.name}: no image ${image} in its registry: push it (the pull request's build) before deploying`,
      );
    if (!digest)
      deps.log.warning(`${service.name}: could not resolve ${image} to a digest; the task runs the tag as it is`);
    images.set(service.name, digest ? pinImageDigest(image, digest) : image);
  });
  return images;
}

/**
 * The expiry a deploy writes: with ttl-hours, `ttl` from now or the current expiry if that is later (an
 * `/extend` is not undone by a push); without, no expiry, but an `/extend` still ahead is kept as it is.
 */
function chooseExpiry(now: Date, ttlHours: number | undefined, current: Date | undefined) {
  const ahead = current && current.getTime() > now.getTime() ? current : undefined;
  if (ttlHours === undefined) return ahead ? { keptUntil: ahead } : {};
  const fresh = computeExpiresAt(now, ttlHours);
  return { expiresAt: ahead && ahead.getTime() > fresh.getTime() ? ahead : fresh };
}

function environmentOf(service: PreviewServiceConfig, basicAuth?: BasicAuthCredentials): PreviewServiceConfig {
  if (!basicAuth) return service;
  return {
    ...service,
    environment: {
      ...service.environment,
      BASIC_AUTH_USER: basicAuth.username,
      BASIC_AUTH_PASSWORD: basicAuth.password,
    },
  };
}

/**
 * Deploys (or updates in place) the preview environment of one pull request: routes on
 * the shared ALB first (quotas and ownership are checked before anything is created), then task
 * definitions and services for every service at once, the DNS record alongside, and finally waits
 * for ECS and healthy targets before reporting a URL. Every resource carries the ownership tags,
 * so a re-run converges and cleanup finds everything.
 */
export async function deployPreview(
  request: DeployPreviewRequest,
  deps: DeployPreviewDeps,
): Promise<DeployPreviewResult> {
  const { config, pr } = request;
  const now = deps.clock.now();
  const environment = createEnvironmentName(pr, config.namePrefix);
  const host = createPreviewHost(pr, config.domain, config.namePrefix);
  // Set once the prechecks have read the PR's own services, before anything is tagged.
  let expiry: { expiresAt?: Date; keptUntil?: Date } = {};
  const tagsFor = (service: string) => ({
    ...createOwnershipTags({
      repo: request.repo,
      pr,
      service,
      deployedAt: now,
      ...(expiry.expiresAt || expiry.keptUntil ? { expiresAt: (expiry.expiresAt ?? expiry.keptUntil) as Date } : {}),
      ...(config.ttlHours !== undefined ? { ttlHours: config.ttlHours } : {}),
    }),
    // Tags are merged, never replaced: a file that dropped ttl-hours must clear the earlier deploy's marker.
    ...(config.ttlHours === undefined ? { [OWNERSHIP_TAG_KEYS.ttlHours]: 'none' } : {}),
  });

  const routed = config.services.filter((s) => s.paths.length > 0 && s.port !== undefined);
  // Image pinning only reads the registry, so it runs alongside the other checks; task definitions are registered
  // only after the routing checks passed, so a full listener fails the deploy before any change.
  const imagesDone = pinImages(request, deps);
  // Everything the user's setup can get wrong is read before the first write, so a wrong cluster, listener or
  // VPC, a service or DNS name someone else owns, or a missing image leaves nothing behind.
  const owner = { repo: request.repo, pr };
  const prechecks = Promise.all([
    checkListenerVpc(deps.elbv2, config.listenerArn, config.vpcId),
    checkPreviewServices(deps.ecs, {
      cluster: config.cluster,
      serviceNames: config.services.map((s) => createServiceName(pr, s.name, config.namePrefix)),
      owner,
    }),
    request.dnsMode === 'record' && deps.dns ? checkPreviewRecord(deps.dns, host, owner) : undefined,
    imagesDone,
  ]);
  const [, existing] = await prechecks.catch(async (error: unknown) => {
    await imagesDone.catch(() => undefined);
    throw error;
  });
  expiry = chooseExpiry(now, config.ttlHours, existing.expiresAt);
  const routingDone = routePreviewServices(
    deps.elbv2,
    {
      listenerArn: config.listenerArn,
      vpcId: config.vpcId,
      pr,
      domain: config.domain,
      ...(config.namePrefix && { namePrefix: config.namePrefix }),
      priorityRange: config.priorityRange,
      owner: { repo: request.repo, pr },
      services: routed.map((s) => ({
        service: s.name,
        port: s.port!,
        paths: s.paths,
        healthCheckPath: s.healthCheckPath ?? '/',
        networkMode: s.networkMode,
        tags: tagsFor(s.name),
      })),
    },
    { clock: deps.clock, logger: deps.log },
  );
  const routing = await routingDone.catch(async (error: unknown) => {
    await imagesDone.catch(() => undefined);
    throw error;
  });
  const images = await imagesDone;
  const routes = new Map<string, RoutedService>(routing.services.map((r) => [r.service, r]));

  // Settled into a value at once: a DNS failure while the services are still being made must wait for them,
  // not surface as an unhandled rejection that kills the process before anything is reported.
  const dnsRecord =
    request.dnsMode === 'record' && deps.dns
      ? upsertPreviewRecord({
          ...deps.dns,
          name: host,
          target: request.albDnsName,
          owner: { repo: request.repo, pr },
          log: deps.log,
        }).then(
          (record) => ({ record }),
          (error: unknown) => ({ error }),
        )
      : undefined;

  // What each service's own update started, so the wait follows exactly that deployment.
  const waits = new Map<string, ServiceWaitTarget & { desiredCount: number }>();
  const services = await mapConcurrent(config.services, 5, async (service): Promise<DeployedService> => {
    const serviceName = createServiceName(pr, service.name, config.namePrefix);
    const input = renderTaskDefinition({
      pr,
      service: environmentOf(service, request.basicAuth),
      environment: config,
      region: request.region,
      ...(request.template && { template: request.template }),
    });
    input.containerDefinitions = input.containerDefinitions?.map((c) =>
      c.name === service.name ? { ...c, image: images.get(service.name)! } : c,
    );
    const image = images.get(service.name)!;
    const { taskDefinitionArn } = await registerTaskDefinitionWithTags(deps.ecs, input, tagsFor(service.name));
    const route = routes.get(service.name);
    const upserted = await upsertService(
      deps.ecs,
      {
        cluster: config.cluster,
        serviceName,
        taskDefinition: taskDefinitionArn,
        desiredCount: service.desiredCount,
        tags: tagsFor(service.name),
        launchType: service.launchType,
        placementConstraints: service.placementConstraints,
        placementStrategy: service.placementStrategy,
        ...(route && {
          loadBalancers: [
            { targetGroupArn: route.targetGroup.arn, containerName: service.name, containerPort: service.port! },
          ],
          healthCheckGracePeriodSeconds: 60,
        }),
        ...(service.networkMode === 'awsvpc' && {
          networkConfiguration: {
            awsvpcConfiguration: { subnets: config.subnets, securityGroups: config.securityGroups },
          },
        }),
      },
      { clock: deps.clock, logger: deps.log },
    );
    waits.set(serviceName, {
      service: serviceName,
      startedAt: upserted.startedAt,
      taskDefinition: taskDefinitionArn,
      ...(upserted.deploymentId && { deploymentId: upserted.deploymentId }),
      desiredCount: service.desiredCount,
    });
    return {
      name: service.name,
      serviceName,
      image,
      taskDefinition: taskDefinitionArn,
      action: upserted.action,
      ...(route && { targetGroup: route.targetGroup.arn, rulePriority: route.rule.priority }),
    };
  });
  const dnsOutcome = dnsRecord ? await dnsRecord : undefined;
  if (dnsOutcome && 'error' in dnsOutcome) throw dnsOutcome.error;
  const record = dnsOutcome?.record;

  // A service scaled to 0 (a worker kept off in previews) is deployed but has nothing to become stable.
  const idle = services.filter((s) => waits.get(s.serviceName)?.desiredCount === 0);
  if (idle.length > 0) {
    deps.log.info(`Desired count 0, deployed and not waited on: ${idle.map((s) => s.serviceName).join(', ')}`);
  }
  const rollout = await waitForServices(deps.ecs, {
    cluster: config.cluster,
    targets: services
      .filter((s) => !idle.includes(s))
      .map((s) => {
        const { desiredCount: _desired, ...target } = waits.get(s.serviceName)!;
        return target;
      }),
    clock: deps.clock,
    logger: deps.log,
    timeoutMs: request.waitTimeoutMs,
  });
  const failedRollout = rollout.filter((o) => o.state !== 'stable');
  let health: TargetHealthResult | undefined;
  if (failedRollout.length === 0 && request.healthTimeoutMs > 0 && routing.services.length > 0) {
    health = await waitForHealthyTargets(
      deps.elbv2,
      routing.services.map((r) => r.targetGroup.arn),
      { clock: deps.clock, logger: deps.log, timeoutMs: request.healthTimeoutMs },
    );
  }
  const failure =
    failedRollout.length > 0
      ? `ECS services did not become stable: ${failedRollout.map((o) => `${o.service} ${o.state}: ${o.reason}`).join('; ')}`
      : health && !health.healthy
        ? `targets did not become healthy: ${health.groups.flatMap((g) => g.notHealthy).join(', ') || 'no healthy target'}`
        : undefined;

  const urls = createPreviewUrls(host, config.services);
  return {
    environment,
    host,
    url: `https://${host}/`,
    urls,
    services,
    ...expiry,
    cost: estimateDailyCost(
      config.services.map((s) => ({ name: s.name, cpu: s.cpu, memory: s.memory, desiredCount: s.desiredCount })),
      request.prices,
    ),
    rollout,
    ...(health && { health }),
    ...(record && { dnsRecord: record }),
    ...(failure && { failure }),
  };
}
