import { ListServicesCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { isOwnedBy, type OwnerFilter } from '../preview/ownership-tags.js';
import { describeServicesBatched, type ServiceDescription } from './describe-services.js';

/** Options for {@link listOwnedServices}. */
export interface ListOwnedServicesOptions {
  /** ListServices pages read at most; default 50 (5,000 services). */
  maxPages?: number;
  /** DescribeServices batches in flight at once; default 4. */
  concurrency?: number;
}

/**
 * Finds the services in a cluster that our ownership tags say belong to this repository (and
 * PR, when given): ListServices, then DescribeServices with tags ten at a time. ListServices can
 * still name deleted services, so only ACTIVE and DRAINING ones are returned.
 */
export async function listOwnedServices(
  ecs: ECSClient,
  cluster: string,
  owner: OwnerFilter,
  options: ListOwnedServicesOptions = {},
): Promise<ServiceDescription[]> {
  const arns = await listServiceArns(ecs, cluster, options.maxPages);
  const described = await describeServicesBatched(ecs, cluster, arns, { concurrency: options.concurrency ?? 4 });
  return described.filter((d) => (d.status === 'ACTIVE' || d.status === 'DRAINING') && isOwnedBy(d.tags, owner));
}

/**
 * Every service ARN ListServices names in the cluster (deleted ones included), at most `maxPages` pages of 100
 * (default 50); `onLimit` is called when there were more, so a caller can say what it did not see.
 */
export async function listServiceArns(
  ecs: ECSClient,
  cluster: string,
  maxPages = 50,
  onLimit?: () => void,
): Promise<string[]> {
  const arns: string[] = [];
  let nextToken: string | undefined;
  for (let page = 0; ; page++) {
    if (page === maxPages) {
      onLimit?.();
      break;
    }
    const out = await ecs.send(new ListServicesCommand({ cluster, nextToken, maxResults: 100 }));
    arns.push(...(out.serviceArns ?? []));
    nextToken = out.nextToken;
    if (!nextToken) break;
  }
  return arns;
}
