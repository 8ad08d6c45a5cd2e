import type { Redis } from 'ioredis';
import type { Clock } from '../action/clock.js';
import type { Octokit } from '../action/context.js';
import type { Logger } from '../action/logger.js';
import { readPullRequestStates } from '../github/read-pull-request-states.js';
import type { RepoRef } from '../github/repo-ref.js';
import { upsertStickyComment } from '../github/sticky-comment.js';
import { mapSettled } from '../util/map-concurrent.js';
import { discoverEnvironments, type DiscoveryClients } from './discover-environments.js';
import { hibernateEnvironment } from './hibernate-environment.js';
import { formatInactivityNotice, LIFECYCLE_COMMENT_HEADER } from './inactivity-notice.js';
import { planSweep, type SweepDecision, type SweepPolicy } from './plan-sweep.js';
import { readLatestDeploy } from './read-latest-deploy.js';
import {
  createEmptyEnvironment,
  type LifecycleScope,
  type OrphanResource,
  type PreviewEnvironment,
} from './preview-environment.js';
import { tearDownEnvironment, type TeardownResult } from './tear-down-environment.js';
import { describeError } from '../action/explain-failure.js';

/** What to sweep and how. */
export interface SweepRequest {
  scope: LifecycleScope;
  /** Tear down exactly this PR's environment (PR closed, `/cleanup`); without it, sweep them all. */
  pr?: number;
  policy: SweepPolicy;
  dryRun: boolean;
  /** More planned deletions than this aborts the run before anything changes. */
  maxDeletions: number;
  /** Comment on open PRs whose environment was hibernated or deleted for inactivity. */
  notify: boolean;
  /** Stamps the sticky notice, so an older run never overwrites a newer one. */
  run: { runId: string; runAttempt: string };
  /** Environments worked on at once; default 4. */
  concurrency?: number;
}

/** The clients a sweep uses. GitHub is made on first use; Redis is optional. */
export interface SweepDependencies extends DiscoveryClients {
  clock: Clock;
  log: Logger;
  repo: RepoRef;
  github: () => Promise<Octokit>;
  redis?: Redis;
  /** The login the token comments as, for tokens that cannot read it themselves (GitHub Apps). */
  commentLogin?: string;
  targetGroupRetryDelayMs?: number;
}

/** One environment the sweep could not finish. */
export interface SweepFailure {
  pr: number;
  action: 'delete' | 'hibernate';
  step?: string;
  error: string;
}

/** Everything a sweep decided and did. In a dry run, `deleted` and `hibernated` are the plan. */
export interface SweepResult {
  dryRun: boolean;
  /** Set when the plan broke a safety limit and nothing was changed. */
  aborted?: string;
  plan: SweepDecision[];
  deleted: { pr: number; reason: string; removed: TeardownResult['removed'] }[];
  hibernated: { pr: number; reason: string; deleteAfter: string }[];
  skipped: { pr: number; reason: string }[];
  /** PRs GitHub says do not exist: their environments are left, and reported until someone tears them down. */
  missing: number[];
  /** PRs warned that their expiry is near. */
  warned: { pr: number; expiresAt: string }[];
  orphans: OrphanResource[];
  failures: SweepFailure[];
  warnings: string[];
  /** Resources each planned environment holds, for the plan's summary. */
  inventory: Map<number, PreviewEnvironment>;
}

const HOUR = 3_600_000;

/**
 * The cleanup use case. With a PR number it tears that environment down (whatever is left of it,
 * GitHub deployments included). Otherwise it discovers every environment of the repository, reads
 * their PRs' states in batched GraphQL (one query per 100 PRs), plans with {@link planSweep}, and
 * then — unless this is a dry run, or the plan exceeds `maxDeletions`, which aborts before any
 * change — hibernates and tears down environments concurrently. Just before it hibernates or deletes
 * one, it reads the environment's deployed-at tags again, and leaves it for the next sweep if a deploy
 * landed since discovery. A failing environment never stops the others; its failure is returned. Open
 * PRs whose environment went for inactivity or expiry get a notice, and ones whose expiry is near a warning.
 */
export async function sweepPreviews(request: SweepRequest, deps: SweepDependencies): Promise<SweepResult> {
  const now = deps.clock.now();
  const { environments, orphans, warnings } = await deps.log.group('Discovering preview environments', () =>
    discoverEnvironments(deps, request.scope, request.pr),
  );
  let plan: SweepDecision[];
  if (request.pr !== undefined) {
    if (!environments.has(request.pr)) environments.set(request.pr, createEmptyEnvironment(request.pr));
    plan = [{ pr: request.pr, action: 'delete', cause: 'requested', reason: `teardown of #${request.pr} requested` }];
  } else {
    const numbers = [...environments.keys()].sort((a, b) => a - b);
    const states = numbers.length
      ? await readPullRequestStates({ octokit: await deps.github(), repo: deps.repo, numbers, log: deps.log })
      : new Map();
    plan = planSweep(
      numbers.map((n) => environments.get(n) as PreviewEnvironment),
      states,
      request.policy,
      now,
    );
  }

  const result: SweepResult = {
    dryRun: request.dryRun,
    plan,
    deleted: [],
    hibernated: [],
    skipped: plan.flatMap((d) => (d.action === 'skip' ? [{ pr: d.pr, reason: d.reason }] : [])),
    missing: plan.flatMap((d) => (d.action === 'skip' && d.missing ? [d.pr] : [])),
    warned: [],
    orphans,
    failures: [],
    warnings: [...warnings],
    inventory: environments,
  };
  if (result.missing.length > 0) {
    result.warnings.push(
      `GitHub says pull request${result.missing.length > 1 ? 's' : ''} ${result.missing.map((n) => `#${n}`).join(', ')} do${result.missing.length > 1 ? '' : 'es'} not exist, so the sweep cannot judge ${result.missing.length > 1 ? 'their environments' : 'its environment'}: tear each down with pr-number if it is no longer needed`,
    );
  }
  const expiring = plan.flatMap((d) => (d.action === 'skip' && d.expiresSoon ? [{ pr: d.pr, at: d.expiresSoon }] : []));
  const deletions = plan.filter((d) => d.action === 'delete');
  const hibernations = plan.filter(
    (d): d is Extract<SweepDecision, { action: 'hibernate' }> => d.action === 'hibernate',
  );
  const hibernatedEntry = (d: (typeof hibernations)[number]) => ({
    pr: d.pr,
    reason: d.reason,
    deleteAfter: d.deleteAfter.toISOString(),
  });

  if (deletions.length > request.maxDeletions) {
    result.aborted = `The plan deletes ${deletions.length} environments, more than max-deletions (${request.maxDeletions}); nothing was changed. Check the plan, then raise max-deletions if it is right.`;
    return result;
  }
  if (request.dryRun) {
    result.deleted = deletions.map((d) => ({ pr: d.pr, reason: d.reason, removed: {} }));
    result.hibernated = hibernations.map(hibernatedEntry);
    return result;
  }

  const octokit = deletions.length + hibernations.length + expiring.length > 0 ? await deps.github() : undefined;
  const notify = async (pr: number, body: string) => {
    if (!request.notify || !octokit) return;
    try {
      await upsertStickyComment({
        octokit,
        repo: deps.repo,
        issueNumber: pr,
        header: LIFECYCLE_COMMENT_HEADER,
        body,
        ...request.run,
        ...(deps.commentLogin ? { login: deps.commentLogin } : {}),
        log: deps.log,
      });
    } catch (error) {
      result.warnings.push(`Could not comment on #${pr}: ${describeError(error)}`);
    }
  };

  /**
   * False, with the plan's entry turned into a skip, when a deploy landed after discovery: the plan was made
   * on what the environment was, and a fresh deploy is activity the next sweep must judge anew.
   */
  const isStillAsPlanned = async (decision: SweepDecision, env: PreviewEnvironment): Promise<boolean> => {
    if (decision.action === 'skip' || (decision.action === 'delete' && decision.cause === 'requested')) return true;
    const latest = await readLatestDeploy(deps, request.scope.cluster, env);
    if (!latest || (env.deployedAt && latest.getTime() <= env.deployedAt.getTime())) return true;
    const reason = `deployed again at ${latest.toISOString()} while the sweep ran; left for the next sweep`;
    result.plan[result.plan.indexOf(decision)] = { pr: env.pr, action: 'skip', reason };
    result.skipped.push({ pr: env.pr, reason });
    deps.log.info(`Skipped #${env.pr}: ${reason}`);
    return false;
  };

  for (const { pr, at } of expiring) {
    await notify(
      pr,
      formatInactivityNotice({
        kind: 'expiring',
        expiresAt: at,
        hibernateGraceHours: request.policy.hibernateGraceHours,
      }),
    );
    result.warned.push({ pr, expiresAt: at.toISOString() });
  }

  await mapSettled(plan, request.concurrency ?? 4, async (decision) => {
    const env = environments.get(decision.pr) as PreviewEnvironment;
    try {
      if (!(await isStillAsPlanned(decision, env))) return;
    } catch (error) {
      if (decision.action !== 'skip') {
        result.failures.push({ pr: env.pr, action: decision.action, error: describeError(error) });
      }
      return;
    }
    if (decision.action === 'hibernate') {
      try {
        await hibernateEnvironment(deps.ecs, request.scope.cluster, env, now);
      } catch (error) {
        result.failures.push({
          pr: env.pr,
          action: 'hibernate',
          error: describeError(error),
        });
        return;
      }
      result.hibernated.push(hibernatedEntry(decision));
      deps.log.info(`Hibernated #${env.pr}: ${decision.reason}`);
      const deleteAfter = new Date(now.getTime() + request.policy.hibernateGraceHours * HOUR);
      await notify(
        env.pr,
        formatInactivityNotice(
          decision.cause === 'expired' && env.expiresAt
            ? { kind: 'hibernated', cause: 'expired', expiredAt: env.expiresAt, deleteAfter }
            : { kind: 'hibernated', cause: 'idle', idleHours: request.policy.maxIdleHours, deleteAfter },
        ),
      );
      return;
    }
    if (decision.action !== 'delete') return;
    const teardown = await tearDownEnvironment(
      {
        ecs: deps.ecs,
        elbv2: deps.elbv2,
        logs: deps.logs,
        clock: deps.clock,
        log: deps.log,
        repo: request.scope.repo,
        ...(deps.dns ? { dns: deps.dns } : {}),
        ...(deps.redis ? { redis: deps.redis } : {}),
        ...(request.scope.logGroup ? { logGroup: request.scope.logGroup } : {}),
        ...(request.scope.namePrefix ? { namePrefix: request.scope.namePrefix } : {}),
        ...(octokit ? { github: { octokit, repo: deps.repo } } : {}),
        ...(deps.targetGroupRetryDelayMs !== undefined
          ? { targetGroupRetryDelayMs: deps.targetGroupRetryDelayMs }
          : {}),
      },
      request.scope.cluster,
      env,
    );
    result.warnings.push(...teardown.warnings);
    if (teardown.failedStep) {
      result.failures.push({
        pr: env.pr,
        action: 'delete',
        step: teardown.failedStep,
        error: teardown.error ?? 'unknown error',
      });
      return;
    }
    result.deleted.push({ pr: env.pr, reason: decision.reason, removed: teardown.removed });
    deps.log.info(`Deleted #${env.pr}: ${decision.reason}`);
    if (decision.cause === 'idle' || decision.cause === 'expired') {
      await notify(env.pr, formatInactivityNotice({ kind: 'deleted', cause: decision.cause }));
    }
  });
  const byPr = (a: { pr: number }, b: { pr: number }) => a.pr - b.pr;
  result.deleted.sort(byPr);
  result.hibernated.sort(byPr);
  result.failures.sort(byPr);
  return result;
}
