import { DescribeServicesCommand, type ECSClient, type Failure, type Service } from '@aws-sdk/client-ecs';
import { mapConcurrent } from '../util/map-concurrent.js';
import { fromEcsTags } from './ecs-tags.js';
import { readServiceName } from './service-name.js';

/** DescribeServices takes at most this many services per call. */
export const DESCRIBE_SERVICES_LIMIT = 10;

/** ECS's own service states plus MISSING for a name ECS has never heard of (or has forgotten). */
export type ServiceStatus = 'ACTIVE' | 'DRAINING' | 'INACTIVE' | 'MISSING';

/** One service as DescribeServices saw it; `service` is absent when MISSING. */
export interface ServiceDescription {
  /** The name (never the ARN) of the service. */
  name: string;
  status: ServiceStatus;
  service?: Service;
  tags: Record<string, string>;
}

/** Options for {@link describeServicesBatched}. */
export interface DescribeServicesOptions {
  /** Batches in flight at once; default 4. */
  concurrency?: number;
}

function toStatus(status: string | undefined): ServiceStatus {
  return status === 'ACTIVE' || status === 'DRAINING' || status === 'INACTIVE' ? status : 'MISSING';
}

function matchesFailure(failure: Failure, nameOrArn: string): boolean {
  return failure.arn === nameOrArn || readServiceName(failure.arn ?? '') === readServiceName(nameOrArn);
}

function describeFailure(failure: Failure): string {
  return `${failure.arn ?? 'unknown service'}: ${failure.reason ?? 'unknown reason'}${failure.detail ? ` (${failure.detail})` : ''}`;
}

/**
 * Describes services by name or ARN, ten per call with batches in parallel, tags included.
 * The result follows the input order. A MISSING failure becomes status MISSING; any other
 * failure (for example ACCESS_DENIED) is thrown, naming every service it hit.
 */
export async function describeServicesBatched(
  ecs: ECSClient,
  cluster: string,
  services: readonly string[],
  options: DescribeServicesOptions = {},
): Promise<ServiceDescription[]> {
  const unique = [...new Set(services)];
  const batches: string[][] = [];
  for (let i = 0; i < unique.length; i += DESCRIBE_SERVICES_LIMIT) {
    batches.push(unique.slice(i, i + DESCRIBE_SERVICES_LIMIT));
  }
  const responses = await mapConcurrent(batches, options.concurrency ?? 4, async (batch) => {
    const out = await ecs.send(new DescribeServicesCommand({ cluster, services: batch, include: ['TAGS'] }));
    return { batch, found: out.services ?? [], failures: out.failures ?? [] };
  });

  const byInput = new Map<string, ServiceDescription>();
  const unexpected: Failure[] = [];
  for (const { batch, found, failures } of responses) {
    for (const input of batch) {
      const name = readServiceName(input);
      const service = found.find((s) => s.serviceArn === input || s.serviceName === name);
      if (service) {
        byInput.set(input, { name, status: toStatus(service.status), service, tags: fromEcsTags(service.tags) });
        continue;
      }
      const failure = failures.find((f) => matchesFailure(f, input));
      if (failure && failure.reason !== 'MISSING') unexpected.push(failure);
      byInput.set(input, { name, status: 'MISSING', tags: {} });
    }
  }
  if (unexpected.length > 0) {
    throw new Error(`DescribeServices failed in cluster ${cluster}: ${unexpected.map(describeFailure).join('; ')}`);
  }
  return services.map((input) => byInput.get(input) as ServiceDescription);
}
