import {
  DeleteRuleCommand,
  DeleteTargetGroupCommand,
  type ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Clock } from '../action/clock.js';
import type { Logger } from '../action/logger.js';
import type { OwnerFilter } from '../preview/ownership-tags.js';
import { mapSettled } from '../util/map-concurrent.js';
import { isElbNotFound, isResourceInUse } from './elb-errors.js';
import { listOwnedRules, listOwnedTargetGroups } from './list-owned-resources.js';

/** What a teardown removed and what it could not. */
export interface DeletionReport {
  deleted: string[];
  failed: { arn: string; error: string }[];
}

/** Options of the teardown helpers. */
export interface DeleteOwnedOptions {
  clock: Clock;
  logger?: Logger;
  /** Tries per target group while a rule still forwards to it; default 6. */
  maxAttempts?: number;
  /** Pause between those tries; default 5 s. */
  retryDelayMs?: number;
  /** Deletions in flight at once; default 4. */
  concurrency?: number;
}

async function deleteAll(
  arns: readonly string[],
  remove: (arn: string) => Promise<void>,
  options: DeleteOwnedOptions,
): Promise<DeletionReport> {
  const settled = await mapSettled(arns, options.concurrency ?? 4, remove);
  const report: DeletionReport = { deleted: [], failed: [] };
  settled.forEach((result, i) => {
    const arn = arns[i] as string;
    if (result.status === 'fulfilled') report.deleted.push(arn);
    else
      report.failed.push({
        arn,
        error:
          result.reason instanceof Error ? `${result.reason.name}: ${result.reason.message}` : String(result.reason),
      });
  });
  for (const failure of report.failed) options.logger?.warning(`Could not delete ${failure.arn}: ${failure.error}`);
  return report;
}

/**
 * Deletes the listener's rules tagged as `owner`'s (one PR, or a whole repository). A rule already
 * gone counts as deleted. Every rule is attempted; failures are reported, not thrown.
 */
export async function deleteRulesOwnedBy(
  elb: ElasticLoadBalancingV2Client,
  listenerArn: string,
  owner: OwnerFilter,
  options: DeleteOwnedOptions,
): Promise<DeletionReport> {
  const rules = await listOwnedRules(elb, listenerArn, owner);
  return deleteRulesByArn(
    elb,
    rules.map((r) => r.arn),
    options,
  );
}

/** Deletes these listener rules (found earlier, e.g. by a sweep's discovery); gone counts as deleted, failures are reported. */
export async function deleteRulesByArn(
  elb: ElasticLoadBalancingV2Client,
  arns: readonly string[],
  options: DeleteOwnedOptions,
): Promise<DeletionReport> {
  return deleteAll(
    arns,
    async (arn) => {
      try {
        await elb.send(new DeleteRuleCommand({ RuleArn: arn }));
      } catch (error) {
        if (!isElbNotFound(error)) throw error;
      }
    },
    options,
  );
}

/**
 * Deletes the region's target groups tagged as `owner`'s. Delete the rules first: a group a rule
 * still forwards to is ResourceInUse, retried a bounded number of times. A group already gone
 * counts as deleted. Every group is attempted; failures are reported, not thrown.
 */
export async function deleteTargetGroupsOwnedBy(
  elb: ElasticLoadBalancingV2Client,
  owner: OwnerFilter,
  options: DeleteOwnedOptions,
): Promise<DeletionReport> {
  const groups = await listOwnedTargetGroups(elb, owner);
  return deleteTargetGroupsByArn(
    elb,
    groups.map((g) => g.arn),
    options,
  );
}

/** Deletes these target groups, retrying ResourceInUse a bounded number of times; gone counts as deleted, failures are reported. */
export async function deleteTargetGroupsByArn(
  elb: ElasticLoadBalancingV2Client,
  arns: readonly string[],
  options: DeleteOwnedOptions,
): Promise<DeletionReport> {
  const maxAttempts = options.maxAttempts ?? 6;
  return deleteAll(
    arns,
    async (arn) => {
      for (let attempt = 1; ; attempt++) {
        try {
          await elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: arn }));
          return;
        } catch (error) {
          if (isElbNotFound(error)) return;
          if (!isResourceInUse(error) || attempt >= maxAttempts) throw error;
          await options.clock.sleep(options.retryDelayMs ?? 5_000);
        }
      }
    },
    options,
  );
}
