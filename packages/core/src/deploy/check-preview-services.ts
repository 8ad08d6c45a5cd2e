import { DescribeClustersCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { ConfigurationError } from '../action/errors.js';
import { describeServicesBatched } from '../ecs/describe-services.js';
import { isOwnedBy, OWNERSHIP_TAG_KEYS, readOwnershipTags, type OwnerFilter } from '../preview/ownership-tags.js';

/** What the pre-deploy check learnt about the services that are already this PR's. */
export interface ExistingPreviewServices {
  /** The latest expires-at they carry (a deploy's ttl-hours, or a later `/extend`). */
  expiresAt?: Date;
}

/**
 * Checks, before a deploy writes anything, that the cluster exists and is ACTIVE and that every ECS service the
 * deploy would update is this pull request's: a same-named service that is untagged, hand-made or another
 * repository's is refused by name, so a deploy never takes one over and nothing of this PR is created.
 * DRAINING and INACTIVE services are on their way out and are created anew, so they are not checked.
 * Returns the latest expiry the PR's own services carry, so a redeploy keeps an `/extend` longer than its ttl.
 * @throws ConfigurationError naming the cluster or the services and how to fix it.
 */
export async function checkPreviewServices(
  ecs: ECSClient,
  input: { cluster: string; serviceNames: readonly string[]; owner: Required<OwnerFilter> },
): Promise<ExistingPreviewServices> {
  const { clusters = [] } = await ecs.send(new DescribeClustersCommand({ clusters: [input.cluster] }));
  const cluster = clusters.find((c) => c.clusterName === input.cluster || c.clusterArn === input.cluster);
  if (!cluster || cluster.status !== 'ACTIVE') {
    throw new ConfigurationError(
      `cluster: ECS cluster ${input.cluster} ${cluster ? `is ${cluster.status ?? 'not ACTIVE'}` : 'does not exist in this region and account'}: set cluster in the environment file to an existing cluster, or create it`,
    );
  }
  const described = await describeServicesBatched(ecs, input.cluster, input.serviceNames);
  const foreign = described.filter((d) => d.status === 'ACTIVE' && !isOwnedBy(d.tags, input.owner));
  if (foreign.length === 0) {
    const expiries = described.flatMap((d) => {
      const at = d.status === 'ACTIVE' ? readOwnershipTags(d.tags)?.expiresAt : undefined;
      return at ? [at.getTime()] : [];
    });
    return expiries.length ? { expiresAt: new Date(Math.max(...expiries)) } : {};
  }
  const owners = foreign.map((d) => {
    const repo = d.tags[OWNERSHIP_TAG_KEYS.repo];
    const pr = d.tags[OWNERSHIP_TAG_KEYS.pr];
    return `${d.name} (${repo ? `${repo}#${pr ?? '?'}` : 'no preview-actions tags'})`;
  });
  throw new ConfigurationError(
    `ECS service${foreign.length > 1 ? 's' : ''} ${owners.join(', ')} in cluster ${input.cluster} ${foreign.length > 1 ? 'are' : 'is'} not ${input.owner.repo}#${input.owner.pr}'s: rename or remove ${foreign.length > 1 ? 'them' : 'it'}, or deploy to another cluster`,
  );
}
