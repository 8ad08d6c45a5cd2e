import { DescribeTagsCommand, type ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { mapConcurrent } from '../util/map-concurrent.js';
import { isElbNotFound } from './elb-errors.js';
import { fromElbTags } from './elb-tags.js';

/** DescribeTags takes at most this many ARNs per call. */
export const DESCRIBE_TAGS_LIMIT = 20;

/**
 * Reads the tags of ELBv2 resources (target groups, rules, listeners), 20 ARNs per call.
 * Every ARN asked for is in the result; one ELBv2 returned no tags for, or one deleted meanwhile,
 * maps to an empty map (a whole batch fails on one missing ARN, so such a batch is read one by one).
 */
export async function readResourceTags(
  elb: ElasticLoadBalancingV2Client,
  arns: readonly string[],
  concurrency = 4,
): Promise<Map<string, Record<string, string>>> {
  const unique = [...new Set(arns)];
  const batches: string[][] = [];
  for (let i = 0; i < unique.length; i += DESCRIBE_TAGS_LIMIT) batches.push(unique.slice(i, i + DESCRIBE_TAGS_LIMIT));
  const tags = new Map<string, Record<string, string>>(unique.map((arn) => [arn, {}]));
  const readBatch = async (batch: string[]): Promise<void> => {
    const out = await elb.send(new DescribeTagsCommand({ ResourceArns: batch }));
    for (const description of out.TagDescriptions ?? []) {
      if (description.ResourceArn) tags.set(description.ResourceArn, fromElbTags(description.Tags));
    }
  };
  await mapConcurrent(batches, concurrency, async (batch) => {
    try {
      await readBatch(batch);
    } catch (error) {
      if (!isElbNotFound(error) || batch.length === 1) {
        if (isElbNotFound(error)) return;
        throw error;
      }
      for (const arn of batch) {
        await readBatch([arn]).catch((single: unknown) => {
          if (!isElbNotFound(single)) throw single;
        });
      }
    }
  });
  return tags;
}
