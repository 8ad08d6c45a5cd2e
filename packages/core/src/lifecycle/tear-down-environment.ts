import { DeleteLogStreamCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeTaskDefinitionCommand, type ECSClient } from '@aws-sdk/client-ecs';
import type { Redis } from 'ioredis';
import type { Clock } from '../action/clock.js';
import type { Octokit } from '../action/context.js';
import type { Logger } from '../action/logger.js';
import { deleteRulesByArn, deleteTargetGroupsByArn, type DeletionReport } from '../alb/delete-owned-resources.js';
import { deleteRecords } from '../dns/delete-preview-records.js';
import { deleteServiceSafely, stopService } from '../ecs/delete-service.js';
import {
  deregisterAndDeleteTaskDefinitions,
  describeUndeletedTaskDefinitions,
} from '../ecs/delete-task-definitions.js';
import { fromEcsTags } from '../ecs/ecs-tags.js';
import { isEcsNotFound } from '../ecs/not-found.js';
import { isOwnedBy } from '../preview/ownership-tags.js';
import { formatPreviewEnvironment } from '../github/create-deployment.js';
import { deleteEnvironment } from '../github/delete-environment.js';
import { markDeploymentsInactive } from '../github/deployment-status.js';
import type { RepoRef } from '../github/repo-ref.js';
import { mapEachOrThrow, mapSettled } from '../util/map-concurrent.js';
import { deleteRedisKeys } from './delete-redis-keys.js';
import type { DiscoveryClients } from './discover-environments.js';
import type { PreviewEnvironment } from './preview-environment.js';
import { describeError } from '../action/explain-failure.js';

/**
 * The teardown steps, in the order they run. Log streams, task definitions, Redis keys and
 * deployments carry no ownership tags a sweep can find, so the tagged services (stopped early, so
 * they cost and log nothing) are deleted only after them, and the DNS record last: a failure in any
 * step leaves a tagged anchor, and the next sweep finds the environment and finishes it, with or
 * without DNS configured.
 */
export const TEARDOWN_STEPS = [
  'listener-rules',
  'target-groups',
  'stop-services',
  'task-definitions',
  'log-streams',
  'redis-keys',
  'github',
  'services',
  'dns-records',
] as const;

/** One teardown step. */
export type TeardownStep = (typeof TEARDOWN_STEPS)[number];

/** Everything a teardown may touch; Redis and GitHub steps are skipped without their client. */
export interface TeardownClients extends DiscoveryClients {
  clock: Clock;
  log: Logger;
  /** `owner/name` the ownership tags must name; task definitions of another repository are left alone. */
  repo: string;
  logGroup?: string;
  /** The environment file's name-prefix: Redis keys of `{prefix}-pr-{N}` only; default none. */
  namePrefix?: string;
  redis?: Redis;
  github?: { octokit: Octokit; repo: RepoRef };
  /** Tries per target group while a rule still forwards to it; default 6, 5 s apart. */
  targetGroupAttempts?: number;
  targetGroupRetryDelayMs?: number;
}

/** How far a teardown got. */
export interface TeardownResult {
  pr: number;
  /** Steps done, in order. */
  completed: TeardownStep[];
  /** The step that failed; the ones after it were not attempted, so a re-run can still find them. */
  failedStep?: TeardownStep;
  error?: string;
  /** Things left that need a person, e.g. a missing GitHub permission. */
  warnings: string[];
  /** Resources removed, per step. */
  removed: Partial<Record<TeardownStep, number>>;
}

function throwFailures(report: DeletionReport, what: string): number {
  if (report.failed.length > 0) {
    throw new Error(`Could not delete ${what}: ${report.failed.map((f) => `${f.arn} (${f.error})`).join('; ')}`);
  }
  return report.deleted.length;
}

/**
 * Tears one environment down in the order of {@link TEARDOWN_STEPS}: listener rules, target groups
 * (ResourceInUse retried a bounded number of times), services scaled to 0, task definitions
 * (deregistered, then deleted), log streams, Redis keys `pr-{N}*` (a Redis the runner cannot reach is
 * a warning, not a failure: the keys are left and the rest goes on), GitHub (the PR's deployments
 * marked inactive, the `pr-{N}` environment deleted), the services deleted, then DNS records.
 * Every step treats "not found" as done, so a re-run after a crash converges. The first failing
 * step stops the teardown and is reported: later steps keep what lets the next sweep find the
 * environment again.
 */
export async function tearDownEnvironment(
  clients: TeardownClients,
  cluster: string,
  env: PreviewEnvironment,
): Promise<TeardownResult> {
  const result: TeardownResult = { pr: env.pr, completed: [], warnings: [], removed: {} };
  const elbOptions = {
    clock: clients.clock,
    logger: clients.log,
    maxAttempts: clients.targetGroupAttempts ?? 6,
    retryDelayMs: clients.targetGroupRetryDelayMs ?? 5_000,
  };
  const describe = (error: unknown) => describeError(error, { withName: true });
  const steps: Record<TeardownStep, () => Promise<number | undefined>> = {
    'listener-rules': async () =>
      throwFailures(await deleteRulesByArn(clients.elbv2, env.ruleArns, elbOptions), 'listener rules'),
    'target-groups': async () =>
      throwFailures(await deleteTargetGroupsByArn(clients.elbv2, env.targetGroupArns, elbOptions), 'target groups'),
    'stop-services': async () =>
      (
        await mapEachOrThrow(
          env.services,
          4,
          'stop services',
          (s) => s.name,
          (s) => stopService(clients.ecs, cluster, s),
          describe,
        )
      ).length,
    services: async () =>
      (
        await mapEachOrThrow(
          env.services,
          4,
          'delete services',
          (s) => s.name,
          (s) => deleteServiceSafely(clients.ecs, cluster, s.name),
          describe,
        )
      ).length,
    'task-definitions': async () => {
      const ours = await keepOwnTaskDefinitions(clients.ecs, env, clients.repo, result.warnings);
      if (ours.length === 0) return 0;
      const out = await deregisterAndDeleteTaskDefinitions(clients.ecs, ours);
      if (out.notDeleted.length > 0) result.warnings.push(describeUndeletedTaskDefinitions(env.pr, out.notDeleted));
      return out.deleted.length + out.alreadyGone.length;
    },
    'dns-records': async () =>
      clients.dns && env.dnsRecords.length ? (await deleteRecords(clients.dns, env.dnsRecords)).length : 0,
    'log-streams': async () => {
      const group = clients.logGroup;
      if (!group) return 0;
      const done = await mapEachOrThrow(
        env.logStreams,
        4,
        'delete log streams',
        (stream) => stream.name,
        async (stream) => {
          try {
            await clients.logs.send(new DeleteLogStreamCommand({ logGroupName: group, logStreamName: stream.name }));
          } catch (error) {
            if (!(error instanceof Error && error.name === 'ResourceNotFoundException')) throw error;
          }
        },
        describe,
      );
      return done.length;
    },
    'redis-keys': async () => {
      const redis = clients.redis;
      if (!redis) return undefined;
      try {
        return await deleteRedisKeys(redis, env.pr, { ...(clients.namePrefix && { namePrefix: clients.namePrefix }) });
      } catch (error) {
        // A Redis this runner cannot reach (a VPC-private ElastiCache seen from a GitHub-hosted runner) would
        // otherwise stop every teardown here, run after run; the keys are left, and the warning says what to do.
        if (redis.status === 'ready') throw error;
        result.warnings.push(formatUnreachableRedisWarning(env.pr, describeError(error)));
        return undefined;
      }
    },
    github: async () => {
      if (!clients.github) return undefined;
      const { octokit, repo } = clients.github;
      const environment = formatPreviewEnvironment(env.pr);
      const inactive = await markDeploymentsInactive({ octokit, repo, environment });
      // A token that may not delete it is warned about once, by deleteEnvironment, naming the permission.
      await deleteEnvironment({ octokit, repo, name: environment, log: clients.log });
      return inactive;
    },
  };
  for (const step of TEARDOWN_STEPS) {
    try {
      const removed = await steps[step]();
      if (removed !== undefined) result.removed[step] = removed;
      result.completed.push(step);
    } catch (error) {
      result.failedStep = step;
      result.error = describeError(error, { withName: true });
      clients.log.warning(`Teardown of #${env.pr} stopped at ${step}: ${result.error}`);
      return result;
    }
  }
  return result;
}

/** The warning for Redis keys left because the runner could not reach Redis. */
export function formatUnreachableRedisWarning(pr: number, error: string): string {
  return `Redis keys of #${pr} were left: Redis could not be reached from this runner (${error}). A Redis inside a VPC (ElastiCache) is not reachable from GitHub-hosted runners: run this job on a self-hosted runner in that VPC, or leave redis-url empty and give the keys a TTL; the rest of the teardown went on`;
}

/**
 * Task-definition families are found by name (`pr-{N}-*`), and names are shared by every repository
 * in the account, so each family's newest revision must carry our ownership tags before any of its
 * revisions goes: one DescribeTaskDefinition per family.
 */
async function keepOwnTaskDefinitions(
  ecs: ECSClient,
  env: PreviewEnvironment,
  repo: string,
  warnings: string[],
): Promise<string[]> {
  const families = new Map<string, string[]>();
  for (const arn of env.taskDefinitionArns) {
    const family = /task-definition\/([^:]+):\d+$/.exec(arn)?.[1] ?? arn;
    families.set(family, [...(families.get(family) ?? []), arn]);
  }
  const revision = (arn: string) => Number(/:(\d+)$/.exec(arn)?.[1] ?? 0);
  const checked = await mapSettled([...families], 4, async ([family, arns]) => {
    const newest = [...arns].sort((a, b) => revision(b) - revision(a))[0] as string;
    try {
      const out = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: newest, include: ['TAGS'] }));
      if (isOwnedBy(fromEcsTags(out.tags), { repo, pr: env.pr })) return arns;
      warnings.push(
        `Task definition family ${family} is named like #${env.pr}'s but not tagged as this repository's; left alone`,
      );
      return [];
    } catch (error) {
      if (isEcsNotFound(error)) return [];
      throw error;
    }
  });
  const failed = checked.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return checked.flatMap((r) => (r.status === 'fulfilled' ? r.value : []));
}
