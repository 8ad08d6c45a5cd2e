import type { ECSClient } from '@aws-sdk/client-ecs';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { readResourceTags } from '../alb/read-resource-tags.js';
import { describeServicesBatched } from '../ecs/describe-services.js';
import { readOwnershipTags } from '../preview/ownership-tags.js';
import type { PreviewEnvironment } from './preview-environment.js';

/**
 * Reads the environment's deployed-at tags again, from its services and target groups as they are now
 * (DescribeServices ten at a time, DescribeTags twenty at a time), and returns the latest. The sweep
 * asks just before it hibernates or deletes, since a deploy may have landed after discovery read them.
 */
export async function readLatestDeploy(
  clients: { ecs: ECSClient; elbv2: ElasticLoadBalancingV2Client },
  cluster: string,
  env: PreviewEnvironment,
): Promise<Date | undefined> {
  const [services, groupTags] = await Promise.all([
    env.services.length
      ? describeServicesBatched(
          clients.ecs,
          cluster,
          env.services.map((s) => s.name),
        )
      : [],
    env.targetGroupArns.length ? readResourceTags(clients.elbv2, env.targetGroupArns) : new Map(),
  ]);
  const tagSets: Record<string, string>[] = [...services.map((s) => s.tags), ...groupTags.values()];
  const times = tagSets.flatMap((tags) => {
    const at = readOwnershipTags(tags)?.deployedAt;
    return at ? [at.getTime()] : [];
  });
  return times.length ? new Date(Math.max(...times)) : undefined;
}
