import type { Octokit } from '../action/context.js';
import type { Logger } from '../action/logger.js';
import { createPromotionDeployment } from '../github/create-deployment.js';
import { setDeploymentStatus } from '../github/deployment-status.js';
import type { PromotionTarget } from '../registry/plan-promotion.js';
import type { PromoteReleaseResult } from './promote-release.js';

/** Where a promotion is recorded on GitHub. */
export interface PromotionRecordTarget {
  octokit: () => Promise<Octokit>;
  repo: { owner: string; repo: string };
  sourceTag: string;
  targets: readonly PromotionTarget[];
  log: Logger;
}

/** The GitHub Deployments of one promotion, by environment tag; empty when recording failed. */
export interface PromotionRecord {
  ids: Map<string, number>;
}

function environmentsOf(targets: readonly PromotionTarget[]): string[] {
  return targets.filter((t) => !t.immutable).map((t) => t.tag);
}

function refOf(input: PromotionRecordTarget): string {
  return input.targets.find((t) => t.immutable)?.tag ?? input.sourceTag;
}

/** The one warning for a promotion GitHub would not record, worded from its answer rather than guessed. */
export function describeUnrecordedPromotion(error: unknown, ref: string): string {
  const status = (error as { status?: number }).status;
  const what = `Could not record the promotion as a GitHub Deployment (${status ? `HTTP ${status}` : (error as Error).message})`;
  if (status === 403) return `${what}: the token may not create Deployments; give it 'deployments: write'`;
  if (status === 422) return `${what}: GitHub does not know '${ref}' as a git ref of this repository; push that tag`;
  return what;
}

function warn(input: PromotionRecordTarget, error: unknown): void {
  input.log.warning(describeUnrecordedPromotion(error, refOf(input)));
}

/**
 * Records each environment tag the promotion is about to move as a GitHub Deployment
 * (environment = the tag, ref = the version), status in_progress, with the digests and the ones
 * they replace in its payload. It runs before the first write, so a re-run after a crash can
 * still read what to roll back to ({@link readRecordedPreviousDigests}). A failure only warns.
 */
export async function startPromotionRecord(
  input: PromotionRecordTarget & { result: PromoteReleaseResult; logUrl: string },
): Promise<PromotionRecord> {
  const record: PromotionRecord = { ids: new Map() };
  const environments = environmentsOf(input.targets);
  if (environments.length === 0) return record;
  const digests = Object.fromEntries(input.result.services.map((s) => [s.service, s.digest]));
  try {
    const octokit = await input.octokit();
    for (const environment of environments) {
      const previousDigests = Object.fromEntries(
        Object.entries(input.result.previousDigests).flatMap(([service, byTag]) =>
          byTag[environment] ? [[service, byTag[environment]]] : [],
        ),
      );
      const id = await createPromotionDeployment({
        octokit,
        repo: input.repo,
        environment,
        ref: refOf(input),
        digests,
        previousDigests,
        production: /^prod(uction)?$/.test(environment),
        description: `${input.sourceTag} → ${environment}`,
      });
      await setDeploymentStatus({
        octokit,
        repo: input.repo,
        deploymentId: id,
        state: 'in_progress',
        logUrl: input.logUrl,
      });
      record.ids.set(environment, id);
    }
  } catch (error) {
    warn(input, error);
  }
  return record;
}

/** Sets the final status of each deployment {@link startPromotionRecord} made. A failure only warns. */
export async function finishPromotionRecord(
  input: PromotionRecordTarget & { record: PromotionRecord; result: PromoteReleaseResult; logUrl: string },
): Promise<number[]> {
  const failed = input.result.failure !== undefined;
  try {
    const octokit = await input.octokit();
    for (const id of input.record.ids.values()) {
      await setDeploymentStatus({
        octokit,
        repo: input.repo,
        deploymentId: id,
        state: failed ? 'failure' : 'success',
        logUrl: input.logUrl,
        description: failed
          ? input.result.rolledBack
            ? 'ECS did not run the promoted images; rolled back'
            : 'ECS did not run the promoted images'
          : `Runs ${input.sourceTag}`,
      });
    }
  } catch (error) {
    warn(input, error);
  }
  return [...input.record.ids.values()];
}

/**
 * What an earlier run of this same promotion (same version, same environment tags) recorded as
 * the previous digests: service → { env tag → digest }, from the newest GitHub Deployment of each
 * environment for this version whose payload has them. A re-run finds the tags already moved, so
 * only this record says what to roll back to. A failure to read only warns.
 */
export async function readRecordedPreviousDigests(
  input: PromotionRecordTarget,
): Promise<Record<string, Record<string, string>>> {
  const previous: Record<string, Record<string, string>> = {};
  const environments = environmentsOf(input.targets);
  if (environments.length === 0) return previous;
  try {
    const octokit = await input.octokit();
    for (const environment of environments) {
      const { data } = await octokit.rest.repos.listDeployments({
        ...input.repo,
        environment,
        ref: refOf(input),
        per_page: 20,
      });
      const newest = [...data]
        .sort((a, b) => b.id - a.id)
        .map((d) => d.payload as { previousDigests?: Record<string, unknown> } | string)
        .find((p) => typeof p === 'object' && p?.previousDigests && Object.keys(p.previousDigests).length > 0);
      if (!newest || typeof newest === 'string') continue;
      for (const [service, digest] of Object.entries(newest.previousDigests ?? {})) {
        if (typeof digest === 'string') (previous[service] ??= {})[environment] = digest;
      }
    }
  } catch (error) {
    const status = (error as { status?: number }).status;
    input.log.warning(
      `Could not read earlier records of this promotion (${status ? `HTTP ${status}` : (error as Error).message}); a re-run can only roll back tags it moves itself`,
    );
  }
  return previous;
}
