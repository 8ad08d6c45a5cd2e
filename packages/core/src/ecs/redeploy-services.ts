import { UpdateServiceCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { ConfigurationError } from '../action/errors.js';
import { mapSettled } from '../util/map-concurrent.js';
import { isEcsNotFound } from './not-found.js';
import { findPrimaryDeployment } from './primary-deployment.js';
import { readServiceName } from './service-name.js';
import { describeError } from '../action/explain-failure.js';

/** A service that was told to start a new deployment, and that deployment's id. */
export interface RedeployedService {
  service: string;
  deploymentId: string;
  taskDefinition?: string;
  /**
   * When the deployment started: its `createdAt` as ECS stamped it, else the local time just
   * before the call. How the service deployment record it started is found.
   */
  startedAt: Date;
}

/** Options for {@link redeployServices}. */
export interface RedeployServicesOptions {
  /** UpdateService calls in flight at once; default 5. */
  concurrency?: number;
  /** The clock read just before each call, for a deployment whose answer has no createdAt. */
  now?: () => Date;
}

/**
 * Starts a fresh deployment of each service (UpdateService with forceNewDeployment on the task
 * definition the service already runs, never a new revision: ECS resolves its image tags to
 * digests again and records them in the new service revision), in parallel, and returns the new deployment id of each in input
 * order. Every service is attempted; if any fail, one error names them all. Services that do not
 * exist or are not ACTIVE make it a {@link ConfigurationError}, since the mapping named them.
 */
export async function redeployServices(
  ecs: ECSClient,
  cluster: string,
  services: readonly string[],
  options: RedeployServicesOptions = {},
): Promise<RedeployedService[]> {
  const settled = await mapSettled(services, options.concurrency ?? 5, async (nameOrArn) => {
    const before = options.now?.() ?? new Date();
    const out = await ecs.send(new UpdateServiceCommand({ cluster, service: nameOrArn, forceNewDeployment: true }));
    const primary = findPrimaryDeployment(out.service);
    if (!primary?.id) throw new Error('UpdateService returned no PRIMARY deployment');
    const result: RedeployedService = {
      service: readServiceName(nameOrArn),
      deploymentId: primary.id,
      startedAt: primary.createdAt ?? before,
    };
    if (primary.taskDefinition) result.taskDefinition = primary.taskDefinition;
    return result;
  });

  const failures = settled.flatMap((result, i) =>
    result.status === 'rejected'
      ? [{ service: readServiceName(services[i] as string), reason: result.reason as unknown }]
      : [],
  );
  if (failures.length === 0) return settled.map((r) => (r as PromiseFulfilledResult<RedeployedService>).value);

  const missing = failures.filter((f) => isEcsNotFound(f.reason));
  if (missing.length === failures.length) {
    throw new ConfigurationError(
      `ECS service(s) ${missing.map((f) => f.service).join(', ')} not found or not ACTIVE in cluster ${cluster}; fix the service mapping.`,
    );
  }
  const detail = failures.map((f) => `${f.service}: ${describeError(f.reason)}`);
  throw new Error(`Could not start a new deployment in cluster ${cluster}: ${detail.join('; ')}`, {
    cause: failures[0]?.reason,
  });
}
