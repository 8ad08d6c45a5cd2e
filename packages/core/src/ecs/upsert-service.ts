import {
  CreateServiceCommand,
  TagResourceCommand,
  UpdateServiceCommand,
  type CapacityProviderStrategyItem,
  type DeploymentConfiguration,
  type ECSClient,
  type LaunchType,
  type LoadBalancer,
  type NetworkConfiguration,
  type PlacementConstraint,
  type PlacementStrategy,
  type Service,
} from '@aws-sdk/client-ecs';
import type { Clock } from '../action/clock.js';
import type { Logger } from '../action/logger.js';
import { createServiceClientToken } from './client-token.js';
import { describeServicesBatched, type ServiceDescription } from './describe-services.js';
import { toEcsTags } from './ecs-tags.js';
import { findPrimaryDeployment } from './primary-deployment.js';

/** The service we want to exist, as the environment file and the registered task definition say. */
export interface ServiceSpec {
  cluster: string;
  serviceName: string;
  /** Full ARN (or family:revision) of the task definition to run. */
  taskDefinition: string;
  desiredCount: number;
  /** Ownership tags; set on create and refreshed on every update. */
  tags: Readonly<Record<string, string>>;
  launchType?: LaunchType;
  capacityProviderStrategy?: CapacityProviderStrategyItem[];
  placementConstraints?: PlacementConstraint[];
  placementStrategy?: PlacementStrategy[];
  loadBalancers?: LoadBalancer[];
  networkConfiguration?: NetworkConfiguration;
  healthCheckGracePeriodSeconds?: number;
  minimumHealthyPercent?: number;
  maximumPercent?: number;
  enableExecuteCommand?: boolean;
}

/** Options for {@link upsertService}. */
export interface UpsertServiceOptions {
  clock: Clock;
  logger?: Logger;
  /** How long to wait for a DRAINING service of the same name to go away; default 10 minutes. */
  drainingTimeoutMs?: number;
  /** Pause between looks while it drains; default 15 s. */
  drainingPollMs?: number;
}

/** What {@link upsertService} did, and the deployment to wait for. */
export interface UpsertedService {
  action: 'created' | 'updated';
  service: Service;
  deploymentId?: string;
  /** When the deployment started (ECS's `createdAt`, else the clock before the call): how its record is found. */
  startedAt: Date;
}

function started(service: Service, before: Date): Pick<UpsertedService, 'deploymentId' | 'startedAt'> {
  const primary = findPrimaryDeployment(service);
  return { deploymentId: primary?.id, startedAt: primary?.createdAt ?? before };
}

function deploymentConfiguration(spec: ServiceSpec): DeploymentConfiguration {
  const config: DeploymentConfiguration = { deploymentCircuitBreaker: { enable: true, rollback: true } };
  if (spec.minimumHealthyPercent !== undefined) config.minimumHealthyPercent = spec.minimumHealthyPercent;
  if (spec.maximumPercent !== undefined) config.maximumPercent = spec.maximumPercent;
  return config;
}

/** What CreateService and UpdateService are both told, so a create and an update converge on one service. */
function sharedServiceFields(spec: ServiceSpec) {
  return {
    cluster: spec.cluster,
    taskDefinition: spec.taskDefinition,
    desiredCount: spec.desiredCount,
    capacityProviderStrategy: spec.capacityProviderStrategy,
    placementConstraints: spec.placementConstraints,
    placementStrategy: spec.placementStrategy,
    loadBalancers: spec.loadBalancers,
    networkConfiguration: spec.networkConfiguration,
    healthCheckGracePeriodSeconds: spec.healthCheckGracePeriodSeconds,
    enableExecuteCommand: spec.enableExecuteCommand,
    deploymentConfiguration: deploymentConfiguration(spec),
    propagateTags: 'SERVICE' as const,
    enableECSManagedTags: true,
  };
}

async function describeOne(ecs: ECSClient, spec: ServiceSpec): Promise<ServiceDescription> {
  const [description] = await describeServicesBatched(ecs, spec.cluster, [spec.serviceName]);
  return description as ServiceDescription;
}

async function waitWhileDraining(
  ecs: ECSClient,
  spec: ServiceSpec,
  options: UpsertServiceOptions,
  first: ServiceDescription,
): Promise<ServiceDescription> {
  const timeoutMs = options.drainingTimeoutMs ?? 10 * 60_000;
  const pollMs = Math.max(1, options.drainingPollMs ?? 15_000);
  const deadline = options.clock.now().getTime() + timeoutMs;
  const maxLooks = Math.ceil(timeoutMs / pollMs) + 1;
  let description = first;
  for (let look = 0; description.status === 'DRAINING' && look < maxLooks; look++) {
    const remaining = deadline - options.clock.now().getTime();
    if (remaining <= 0) break;
    options.logger?.info(`${spec.serviceName} is DRAINING from an earlier delete; waiting before creating it again`);
    await options.clock.sleep(Math.min(pollMs, remaining));
    description = await describeOne(ecs, spec);
  }
  if (description.status === 'DRAINING') {
    throw new Error(
      `ECS service ${spec.serviceName} in cluster ${spec.cluster} is still DRAINING after ${Math.round(timeoutMs / 1000)} s; run the deployment again once it is gone`,
    );
  }
  return description;
}

async function createService(ecs: ECSClient, spec: ServiceSpec, before: Date): Promise<UpsertedService> {
  const out = await ecs.send(
    new CreateServiceCommand({
      ...sharedServiceFields(spec),
      serviceName: spec.serviceName,
      clientToken: createServiceClientToken(spec.cluster, spec.serviceName, spec.taskDefinition),
      launchType: spec.launchType,
      tags: toEcsTags(spec.tags),
    }),
  );
  const service = out.service ?? {};
  return { action: 'created', service, ...started(service, before) };
}

async function updateService(
  ecs: ECSClient,
  spec: ServiceSpec,
  existing: Service,
  before: Date,
): Promise<UpsertedService> {
  const out = await ecs.send(
    new UpdateServiceCommand({
      ...sharedServiceFields(spec),
      service: spec.serviceName,
      forceNewDeployment: true,
    }),
  );
  const service = out.service ?? existing;
  const arn = service.serviceArn ?? existing.serviceArn;
  if (arn) await ecs.send(new TagResourceCommand({ resourceArn: arn, tags: toEcsTags(spec.tags) }));
  return { action: 'updated', service, ...started(service, before) };
}

function isCreateConflict(error: unknown): boolean {
  return (
    error instanceof Error &&
    error.name === 'InvalidParameterException' &&
    /idempotent|already exists/i.test(error.message)
  );
}

/**
 * Makes the service match the spec, describing it first: ACTIVE is updated (new deployment
 * forced, tags refreshed); MISSING or INACTIVE is created with a deterministic clientToken;
 * DRAINING is waited out (bounded) and then created. Created services have the deployment
 * circuit breaker with rollback on and propagate their tags to tasks. If a create loses a race
 * to another run that created the same service, the service is updated instead.
 */
export async function upsertService(
  ecs: ECSClient,
  spec: ServiceSpec,
  options: UpsertServiceOptions,
): Promise<UpsertedService> {
  let description = await describeOne(ecs, spec);
  if (description.status === 'DRAINING') description = await waitWhileDraining(ecs, spec, options, description);
  const before = options.clock.now();
  if (description.status === 'ACTIVE' && description.service) {
    return updateService(ecs, spec, description.service, before);
  }
  try {
    return await createService(ecs, spec, before);
  } catch (error) {
    if (!isCreateConflict(error)) throw error;
    const again = await describeOne(ecs, spec);
    if (again.status !== 'ACTIVE' || !again.service) throw error;
    options.logger?.info(`${spec.serviceName} was created meanwhile by another run; updating it instead`);
    return updateService(ecs, spec, again.service, options.clock.now());
  }
}
