import {
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  type ECSClient,
  type ServiceDeployment,
  type ServiceRevision,
} from '@aws-sdk/client-ecs';
import { mapConcurrent } from '../util/map-concurrent.js';

/** DescribeServiceDeployments and DescribeServiceRevisions take at most this many ARNs per call. */
export const DESCRIBE_DEPLOYMENTS_LIMIT = 20;

function batches<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += DESCRIBE_DEPLOYMENTS_LIMIT) {
    out.push(items.slice(i, i + DESCRIBE_DEPLOYMENTS_LIMIT));
  }
  return out;
}

/** Sends one call per batch of ARNs (four at once) and keys what comes back by its ARN. */
async function describeByArn<T>(
  arns: readonly string[],
  describe: (batch: string[]) => Promise<readonly T[] | undefined>,
  arnOf: (item: T) => string | undefined,
): Promise<Map<string, T>> {
  const found = new Map<string, T>();
  const answers = await mapConcurrent(batches([...new Set(arns)]), 4, describe);
  for (const item of answers.flatMap((a) => a ?? [])) {
    const arn = arnOf(item);
    if (arn) found.set(arn, item);
  }
  return found;
}

/**
 * One look at service deployments by ARN, twenty per call. The map holds every deployment ECS
 * described; an ARN it did not (a failure entry, or not visible yet) is absent from the map.
 */
export function describeServiceDeployments(
  ecs: ECSClient,
  arns: readonly string[],
): Promise<Map<string, ServiceDeployment>> {
  return describeByArn(
    arns,
    async (batch) =>
      (await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: batch }))).serviceDeployments,
    (d) => d.serviceDeploymentArn,
  );
}

/** Service revisions by ARN, twenty per call; ARNs ECS did not describe are absent from the map. */
export function describeServiceRevisions(
  ecs: ECSClient,
  arns: readonly string[],
): Promise<Map<string, ServiceRevision>> {
  return describeByArn(
    arns,
    async (batch) =>
      (await ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: batch }))).serviceRevisions,
    (r) => r.serviceRevisionArn,
  );
}
