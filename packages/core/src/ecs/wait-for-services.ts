import type { ECSClient, Service, ServiceDeployment, ServiceRevision } from '@aws-sdk/client-ecs';
import type { Clock } from '../action/clock.js';
import type { Logger } from '../action/logger.js';
import { toOneLine } from '../action/quote.js';
import { mapConcurrent } from '../util/map-concurrent.js';
import {
  collectDiagnostics,
  type CollectDiagnosticsOptions,
  type DeploymentFacts,
  type ServiceDiagnostics,
} from './collect-diagnostics.js';
import { describeServicesBatched } from './describe-services.js';
import { isDeploymentApiAbsent, isDeploymentApiDenied } from './deployment-api-absent.js';
import { findStartedDeployment } from './find-started-deployment.js';
import { describeServiceDeployments, describeServiceRevisions } from './follow-service-deployment.js';
import { judgeRecordedDigests, judgeRunningDigests } from './judge-digests.js';
import { judgeServiceDeployment, type DeploymentGoal } from './judge-service-deployment.js';
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
  /** More digests that count as the expected image: the platform manifests of a multi-arch index. */
  alsoAcceptDigests?: readonly string[];
  /**
   * When our UpdateService started the deployment (ECS's clock when known) and the task definition
   * it deploys: how the service deployment record it started is found.
   */
  startedAt?: Date;
  taskDefinition?: string;
  /** The ECS service deployment to follow, when already known. */
  serviceDeploymentArn?: string;
  /** Wait for the deployment to succeed (default) or, after a stop with rollback, for its rollback. */
  goal?: DeploymentGoal;
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
  /**
   * Judge by ECS's service deployment records (ListServiceDeployments, DescribeServiceDeployments,
   * DescribeServiceRevisions) where the endpoint offers them; default true. Where it does not, or
   * with false, the service's PRIMARY deployment is judged as before.
   */
  useDeploymentRecords?: boolean;
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
  /** The ECS service deployment followed, and its last status, when judged by the record. */
  serviceDeploymentArn?: string;
  deploymentStatus?: string;
  /** What the verdict rests on: ECS's service deployment record, or the service's PRIMARY deployment. */
  judgedBy: 'service-deployment' | 'primary-deployment';
  /** Things a person should know although the wait ended as it did (a digest ECS did not record). */
  warnings?: string[];
  /** Digests seen on the running tasks (or recorded in the service revision) when a digest was expected. */
  runningDigests?: string[];
  /** Events and stopped tasks, for failed and timed-out services. */
  diagnostics?: ServiceDiagnostics;
  elapsedMs: number;
}

interface Progress {
  target: ServiceWaitTarget;
  name: string;
  reason: string;
  mode: 'record' | 'legacy';
  serviceDeploymentArn?: string;
  record?: ServiceDeployment;
  revision?: ServiceRevision;
  warnings: string[];
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

/** One look at services judged by their PRIMARY deployment: the rollout, then, for the stable ones, their digests. */
async function lookLegacy(
  ecs: ECSClient,
  cluster: string,
  current: Progress[],
): Promise<Map<Progress, RolloutVerdict>> {
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

/** A verdict at one look, whichever way it was reached. */
interface LookVerdict {
  state: 'stable' | 'pending' | 'failed';
  reason: string;
  /** Not in ECS's answer (yet): within the consistency grace this is a stale read, not a verdict. */
  unseen?: boolean;
}

/**
 * Clients whose endpoint turned out to have no service deployment API: later waits on the same
 * client (the rollback after a promotion) go straight to the fall-back instead of asking again,
 * which on an emulator costs the SDK's retries of its 500 answer.
 */
const withoutDeploymentApi = new WeakSet<ECSClient>();

/** State shared by the looks of one wait. */
interface LookContext {
  ecs: ECSClient;
  cluster: string;
  logger?: Logger;
  /** Past the consistency grace: a record ECS still does not list is not coming. */
  pastGrace: () => boolean;
}

function switchToLegacy(progress: Progress, why: string, ctx: LookContext, level: 'debug' | 'warning'): void {
  progress.mode = 'legacy';
  ctx.logger?.[level](toOneLine(`${progress.name}: ${why}; judging by the service's PRIMARY deployment instead`));
}

/**
 * Why the service deployment APIs cannot be used here, or undefined for an error to count as a
 * failed look: absent (an emulator: debug, the fall-back is expected) or denied (a role without
 * the new permissions: a warning that says which to add).
 */
function explainUnavailable(error: unknown): { text: string; level: 'debug' | 'warning' } | undefined {
  if (isDeploymentApiAbsent(error)) {
    return { text: `this ECS endpoint has no service deployment API (${describeError(error)})`, level: 'debug' };
  }
  if (isDeploymentApiDenied(error)) {
    return {
      text: 'the role may not read service deployments: add ecs:ListServiceDeployments, ecs:DescribeServiceDeployments and ecs:DescribeServiceRevisions (docs/iam/)',
      level: 'warning',
    };
  }
  return undefined;
}

/** Finds the service deployment record of each target that has none yet; absent APIs switch all to legacy. */
async function findRecords(ctx: LookContext, current: Progress[], verdicts: Map<Progress, LookVerdict>) {
  const unfound = current.filter((p) => !p.serviceDeploymentArn);
  try {
    await mapConcurrent(unfound, 4, async (progress) => {
      const { target } = progress;
      if (!target.startedAt) {
        switchToLegacy(progress, 'no start time of our deployment is known', ctx, 'debug');
        return;
      }
      const found = await findStartedDeployment(ctx.ecs, {
        cluster: ctx.cluster,
        service: target.service,
        startedAt: target.startedAt,
        ...(target.taskDefinition && { taskDefinition: target.taskDefinition }),
      });
      if (found) {
        progress.serviceDeploymentArn = found.serviceDeploymentArn;
        if (found.revision) progress.revision = found.revision;
        ctx.logger?.debug(`${progress.name}: following service deployment ${found.serviceDeploymentArn}`);
      } else if (ctx.pastGrace()) {
        switchToLegacy(progress, 'ECS lists no service deployment for our update', ctx, 'warning');
      } else {
        verdicts.set(progress, { state: 'pending', reason: 'ECS has not listed our service deployment yet' });
      }
    });
  } catch (error) {
    const why = explainUnavailable(error);
    if (!why) throw error;
    withoutDeploymentApi.add(ctx.ecs);
    for (const progress of current)
      if (!progress.serviceDeploymentArn) switchToLegacy(progress, why.text, ctx, why.level);
  }
}

/** The digest check on a successful record: the target service revision's `containerImages`. */
async function judgeRecordDigest(ctx: LookContext, progress: Progress, verdict: LookVerdict): Promise<LookVerdict> {
  const { target } = progress;
  if (!target.expectedDigest || (target.goal ?? 'deploy') !== 'deploy') return verdict;
  const revisionArn = progress.record?.targetServiceRevision?.arn;
  if (
    revisionArn &&
    (!progress.revision?.containerImages?.some((i) => i.imageDigest) ||
      progress.revision.serviceRevisionArn !== revisionArn)
  ) {
    const revision = (await describeServiceRevisions(ctx.ecs, [revisionArn])).get(revisionArn);
    if (revision) progress.revision = revision;
  }
  const judged = judgeRecordedDigests(
    progress.revision?.containerImages ?? [],
    [target.expectedDigest, ...(target.alsoAcceptDigests ?? [])],
    target.containerName,
  );
  progress.runningDigests = judged.seen;
  if (judged.state === 'mismatch') return { state: 'failed', reason: `image digest mismatch: ${judged.reason}` };
  if (judged.state === 'unrecorded') {
    // A digest ECS never recorded will not appear later: warn and let the deployment's status decide.
    const warning = `${judged.reason}, so the running digest could not be verified`;
    progress.warnings.push(warning);
    ctx.logger?.warning(toOneLine(`${progress.name}: ${warning}`));
  }
  return { state: verdict.state, reason: `${verdict.reason}; ${judged.reason}` };
}

/** One look at services judged by ECS's service deployment records. */
async function lookRecords(ctx: LookContext, current: Progress[]): Promise<Map<Progress, LookVerdict>> {
  const verdicts = new Map<Progress, LookVerdict>();
  await findRecords(ctx, current, verdicts);
  const following = current.filter((p) => p.mode === 'record' && p.serviceDeploymentArn);
  if (following.length === 0) return verdicts;
  let records: Map<string, ServiceDeployment>;
  try {
    records = await describeServiceDeployments(
      ctx.ecs,
      following.map((p) => p.serviceDeploymentArn as string),
    );
  } catch (error) {
    const why = explainUnavailable(error);
    if (!why) throw error;
    withoutDeploymentApi.add(ctx.ecs);
    for (const progress of following) switchToLegacy(progress, why.text, ctx, why.level);
    return verdicts;
  }
  await mapConcurrent(following, 4, async (progress) => {
    const record = records.get(progress.serviceDeploymentArn as string);
    if (!record) {
      verdicts.set(progress, {
        state: 'failed',
        reason: `service deployment ${progress.serviceDeploymentArn} is not described`,
        unseen: true,
      });
      return;
    }
    progress.record = record;
    const verdict = judgeServiceDeployment(record, progress.target.goal);
    verdicts.set(progress, verdict.state === 'stable' ? await judgeRecordDigest(ctx, progress, verdict) : verdict);
  });
  return verdicts;
}

/** One look at every pending service, each by its record where ECS keeps one, else by its PRIMARY deployment. */
async function lookOnce(ctx: LookContext, current: Progress[]): Promise<Map<Progress, LookVerdict>> {
  const verdicts = await lookRecords(
    ctx,
    current.filter((p) => p.mode === 'record'),
  );
  const legacy = current.filter((p) => p.mode === 'legacy');
  if (legacy.length > 0) for (const [p, v] of await lookLegacy(ctx.ecs, ctx.cluster, legacy)) verdicts.set(p, v);
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
      since: progress.record?.createdAt ?? progress.deploymentStart,
      ...(options.diagnostics || {}),
    });
    if (progress.record) outcome.diagnostics.deployment = toDeploymentFacts(progress.record);
    const lines = renderDiagnosticsLog([outcome.diagnostics]);
    if (logger)
      await logger.group(`Diagnostics for ${progress.name}`, async () => lines.forEach((l) => logger.info(l)));
  });
}

function toDeploymentFacts(record: ServiceDeployment): DeploymentFacts {
  const facts: DeploymentFacts = { arn: record.serviceDeploymentArn ?? '', status: record.status ?? 'unknown' };
  if (record.statusReason) facts.statusReason = record.statusReason;
  if (record.rollback?.reason) facts.rollbackReason = record.rollback.reason;
  if (record.createdAt) facts.createdAt = record.createdAt;
  return facts;
}

/**
 * The shared bounded waiter. Each service is judged by ECS's record of the deployment our update
 * started ({@link findStartedDeployment}, then DescribeServiceDeployments twenty at a time, judged
 * by {@link judgeServiceDeployment}; the digest is the one its target service revision records).
 * Where the endpoint has no service deployment API (an emulator), or ECS lists no record for our
 * update within the consistency grace, the service falls back to DescribeServices ten at a time,
 * judged with {@link judgeRollout} and, where a digest is expected, the running tasks' digests;
 * the fall-back is logged (debug, or a warning when the record is unexpectedly missing). Then it pauses
 * with backoff until all are settled or the timeout passes. Failed and
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
    const progress: Progress = {
      target,
      name: readServiceName(target.service),
      reason: 'not looked at yet',
      mode: options.useDeploymentRecords === false || withoutDeploymentApi.has(ecs) ? 'legacy' : 'record',
      warnings: [],
    };
    if (target.deploymentId) progress.deploymentId = target.deploymentId;
    if (target.serviceDeploymentArn) progress.serviceDeploymentArn = target.serviceDeploymentArn;
    pending.add(progress);
    return progress;
  });

  const settle = (progress: Progress, state: ServiceWaitState, reason: string): void => {
    pending.delete(progress);
    const outcome: ServiceWaitOutcome = {
      service: progress.name,
      state,
      reason,
      judgedBy: progress.mode === 'record' ? 'service-deployment' : 'primary-deployment',
      elapsedMs: clock.now().getTime() - started,
    };
    if (progress.deploymentId) outcome.deploymentId = progress.deploymentId;
    if (progress.mode === 'record' && progress.serviceDeploymentArn) {
      outcome.serviceDeploymentArn = progress.serviceDeploymentArn;
      if (progress.record?.status) outcome.deploymentStatus = progress.record.status;
    }
    if (progress.warnings.length > 0) outcome.warnings = progress.warnings;
    if (progress.runningDigests) outcome.runningDigests = progress.runningDigests;
    outcomes.set(progress, outcome);
    logger?.[state === 'stable' ? 'info' : 'error'](toOneLine(`${progress.name}: ${state}: ${reason}`));
  };

  const ctx: LookContext = {
    ecs,
    cluster,
    ...(logger && { logger }),
    pastGrace: () => clock.now().getTime() - started >= graceMs,
  };
  let interval = firstInterval;
  let errors = 0;
  for (let look = 0; pending.size > 0 && look < maxLooks; look++) {
    try {
      const verdicts = await lookOnce(ctx, [...pending]);
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
