import type { Octokit } from '../action/context.js';
import type { RepoRef } from './repo-ref.js';
import { truncateText } from './truncate-text.js';

/** How a check run ended. */
export type CheckConclusion =
  'success' | 'failure' | 'neutral' | 'cancelled' | 'skipped' | 'timed_out' | 'action_required';

/** Check-run output fields are capped at 65,535 characters. */
const OUTPUT_LIMIT = 65_535;

/**
 * Records a finished result as a check run on `headSha`, created already completed: one request,
 * so a lost answer or a failure between two calls can never leave a run stuck in progress (which a
 * required check would wait on for good). The summary is cut to GitHub's limit.
 */
export async function createCompletedCheckRun(input: {
  octokit: Octokit;
  repo: RepoRef;
  headSha: string;
  name: string;
  conclusion: CheckConclusion;
  title: string;
  summary: string;
  detailsUrl?: string;
  startedAt?: Date;
  completedAt?: Date;
}): Promise<number> {
  const { data } = await input.octokit.rest.checks.create({
    ...input.repo,
    head_sha: input.headSha,
    name: input.name,
    status: 'completed',
    conclusion: input.conclusion,
    ...(input.startedAt ? { started_at: input.startedAt.toISOString() } : {}),
    ...(input.completedAt ? { completed_at: input.completedAt.toISOString() } : {}),
    ...(input.detailsUrl ? { details_url: input.detailsUrl } : {}),
    output: { title: input.title, summary: truncateText(input.summary, OUTPUT_LIMIT, 'the workflow run') },
  });
  return data.id;
}
