import type { ECSClient, Service } from '@aws-sdk/client-ecs';
import type { Clock } from '../action/clock.js';
import type { Logger } from '../action/logger.js';
import { toOneLine } from '../action/quote.js';
import { mapConcurrent } from '../util/map-concurrent.js';
import { collectDiagnostics, type CollectDiagnosticsOptions, type ServiceDiagnostics } from './collect-diagnostics.js';
import { describeServicesBatched } from './describe-services.js';
import { judgeRunningDigests } from './judge-digests.js';
import { judgeRollout, type RolloutVerdict } from './judge-rollout.js';
import { readRunningDigests } from './read-running-digests.js';
import { renderDiagnosticsLog } from './render-diagnostics.js';
import { readServiceName } from './service-name.js';
import { describeError } from '../action/explain-failure.js';

/** One service to wait for. */
export interface ServiceWaitTarget {
  service: string;
  /** The deployment we started; without it the service's PRIMARY deployment is judged. */
  deploymentId?: string;
  /** When set, the running tasks must also run this image digest. */
  expectedDigest?: string;
  /** The container whose digest is checked; without it any container of the task may match. */
  containerName?: string;
}

/** Options for {@link waitForServices}. */
export interface WaitForServicesOptions {
  cluster: string;
  targets: readonly ServiceWaitTarget[];
  clock: Clock;
  logger?: Logger;
  /** Give up after this long; default 15 minutes. */
  timeoutMs?: number;
  /** First pause between looks; default 10 s. */
  pollIntervalMs?: number;
  /** Longest pause between looks; default 30 s. */
  maxPollIntervalMs?: number;
  /** Each pause is the previous one times this, up to the maximum; default 1.5. */
  backoffFactor?: number;
  /**
   * For this long after the wait starts, a service or deployment missing from DescribeServices
   * counts as not visible yet rather than failed (ECS reads are eventually consistent); default 30 s.
   */
  consistencyGraceMs?: number;
  /** Consecutive failed looks (throttling, network) tolerated before giving up; default 3. */
  maxConsecutiveErrors?: number;
  /** Limits for the diagnostics gathered on failure, or false to skip them. */
  diagnostics?: CollectDiagnosticsOptions | false;
}

/** How waiting for one service ended. */
export type ServiceWaitState = 'stable' | 'failed' | 'timeout';

/** The end of waiting for one service. */
export interface ServiceWaitOutcome {
  service: string;
  state: ServiceWaitState;
  /** One line: why it is stable, why it failed, or where it stood at the timeout. */
  reason: string;
  deploymentId?: string;
  /** Digests seen on the running tasks when a digest was expected. */
  runningDigests?: string[];
  /** Events and stopped tasks, for failed and timed-out services. */
  diagnostics?: ServiceDiagnostics;
  elapsedMs: number;
}

interface Progress {
  target: ServiceWaitTarget;
  name: string;
  reason: string;
  service?: Service;
  deploymentId?: string;
  deploymentStart?: Date;
  runningDigests?: string[];
}

async function checkDigests(
  ecs: ECSClient,
  cluster: string,
  stable: { progress: Progress; verdict: RolloutVerdict }[],
): Promise<Map<Progress, RolloutVerdict>> {
  const withDigest = stable.filter((s) => s.progress.target.expectedDigest);
  const digests = await readRunningDigests(
    ecs,
    cluster,
    withDigest.map((s) => s.progress.name),
  );
  const verdicts = new Map<Progress, RolloutVerdict>();
  withDigest.forEach(({ progress, verdict }, i) => {
    const { target } = progress;
    const judged = judgeRunningDigests(digests[i]?.tasks ?? [], target.expectedDigest as string, target.containerName);
    progress.runningDigests = judged.seen;
    if (judged.state === 'match') verdicts.set(progress, { ...verdict, reason: `${verdict.reason}; ${judged.reason}` });
    else if (judged.state === 'mismatch')
      verdicts.set(progress, { state: 'failed', reason: `image digest mismatch: ${judged.reason}` });
    else verdicts.set(progress, { state: 'pending', reason: `${verdict.reason}; ${judged.reason}` });
  });
  return verdicts;
}

/** One look at every pending service: its rollout, then, for the stable ones, their digests. */
async function lookOnce(ecs: ECSClient, cluster: string, current: Progress[]): Promise<Map<Progress, RolloutVerdict>> {
  const described = await describeServicesBatched(
    ecs,
    cluster,
    current.map((p) => p.name),
  );
  const stable: { progress: Progress; verdict: RolloutVerdict }[] = [];
  const verdicts = new Map<Progress, RolloutVerdict>();
  current.forEach((progress, i) => {
    const description = described[i];
    if (!description) return;
    progress.service = description.service;
    // Without a given id, the first deployment seen is pinned, so a later rollback cannot pass as success.
    const verdict = judgeRollout(description, progress.deploymentId);
    if (verdict.deployment?.id) progress.deploymentId = verdict.deployment.id;
    if (verdict.deployment?.createdAt) progress.deploymentStart = verdict.deployment.createdAt;
    verdicts.set(progress, verdict);
    if (verdict.state === 'stable') stable.push({ progress, verdict });
  });
  for (const [progress, verdict] of await checkDigests(ecs, cluster, stable)) verdicts.set(progress, verdict);
  return verdicts;
}

async function attachDiagnostics(
  ecs: ECSClient,
  options: WaitForServicesOptions,
  unhappy: { progress: Progress; outcome: ServiceWaitOutcome }[],
): Promise<void> {
  const { logger } = options;
  await mapConcurrent(unhappy, 4, async ({ progress, outcome }) => {
    outcome.diagnostics = await collectDiagnostics(ecs, options.cluster, progress.service ?? progress.name, {
      since: progress.deploymentStart,
      ...(options.diagnostics || {}),
    });
    const lines = renderDiagnosticsLog([outcome.diagnostics]);
    if (logger)
      await logger.group(`Diagnostics for ${progress.name}`, async () => lines.forEach((l) => logger.info(l)));
  });
}

/**
 * The shared bounded waiter: looks at every pending service (DescribeServices ten at a time),
 * judges each with {@link judgeRollout} and, where a digest is expected, the running tasks'
 * digests, then pauses with backoff until all are settled or the timeout passes. Failed and
 * timed-out services get diagnostics (events, stopped tasks), which are also logged. Outcomes
 * follow the order of `targets`. It throws only when ECS cannot be read several times in a row.
 */
export async function waitForServices(ecs: ECSClient, options: WaitForServicesOptions): Promise<ServiceWaitOutcome[]> {
  const { cluster, clock, logger } = options;
  const timeoutMs = options.timeoutMs ?? 15 * 60_000;
  const firstInterval = Math.max(1, options.pollIntervalMs ?? 10_000);
  const maxInterval = Math.max(firstInterval, options.maxPollIntervalMs ?? 30_000);
  const factor = Math.max(1, options.backoffFactor ?? 1.5);
  const maxErrors = options.maxConsecutiveErrors ?? 3;
  const graceMs = options.consistencyGraceMs ?? 30_000;
  const started = clock.now().getTime();
  const deadline = started + timeoutMs;
  // The deadline alone would spin forever on a clock that never moves; this bounds the looks.
  const maxLooks = Math.ceil(timeoutMs / firstInterval) + 2;

  const pending = new Set<Progress>();
  const outcomes = new Map<Progress, ServiceWaitOutcome>();
  const order: Progress[] = options.targets.map((target) => {
    const progress: Progress = { target, name: readServiceName(target.service), reason: 'not looked at yet' };
    if (target.deploymentId) progress.deploymentId = target.deploymentId;
    pending.add(progress);
    return progress;
  });

  const settle = (progress: Progress, state: ServiceWaitState, reason: string): void => {
    pending.delete(progress);
    const outcome: ServiceWaitOutcome = {
      service: progress.name,
      state,
      reason,
      elapsedMs: clock.now().getTime() - started,
    };
    if (progress.deploymentId) outcome.deploymentId = progress.deploymentId;
    if (progress.runningDigests) outcome.runningDigests = progress.runningDigests;
    outcomes.set(progress, outcome);
    logger?.[state === 'stable' ? 'info' : 'error'](toOneLine(`${progress.name}: ${state}: ${reason}`));
  };

  let interval = firstInterval;
  let errors = 0;
  for (let look = 0; pending.size > 0 && look < maxLooks; look++) {
    try {
      const verdicts = await lookOnce(ecs, cluster, [...pending]);
      errors = 0;
      const inGrace = clock.now().getTime() - started < graceMs;
      for (const [progress, verdict] of verdicts) {
        const stale = verdict.state === 'failed' && verdict.unseen && inGrace;
        if (verdict.state !== 'pending' && !stale) {
          settle(progress, verdict.state, verdict.reason);
          continue;
        }
        const reason = stale ? `not visible yet (${verdict.reason})` : verdict.reason;
        if (reason !== progress.reason) logger?.info(toOneLine(`${progress.name}: ${reason}`));
        progress.reason = reason;
      }
    } catch (error) {
      errors++;
      if (errors >= maxErrors) throw error;
      const message = describeError(error);
      logger?.warning(toOneLine(`Could not read ECS services (attempt ${errors} of ${maxErrors}): ${message}`));
    }
    const remaining = deadline - clock.now().getTime();
    if (pending.size === 0 || remaining <= 0) break;
    await clock.sleep(Math.min(interval, remaining));
    interval = Math.min(maxInterval, Math.ceil(interval * factor));
  }
  for (const progress of pending) {
    settle(progress, 'timeout', `not stable after ${Math.round(timeoutMs / 1000)} s: ${progress.reason}`);
  }

  const results = order.map((progress) => ({ progress, outcome: outcomes.get(progress) as ServiceWaitOutcome }));
  if (options.diagnostics !== false) {
    await attachDiagnostics(
      ecs,
      options,
      results.filter((r) => r.outcome.state !== 'stable'),
    );
  }
  return results.map((r) => r.outcome);
}
