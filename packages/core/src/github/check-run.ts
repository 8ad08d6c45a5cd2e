import type { Octokit } from '../action/context.js';
import type { RepoRef } from './repo-ref.js';
import { truncateText } from './truncate-text.js';

/** How a check run ended. */
export type CheckConclusion =
  'success' | 'failure' | 'neutral' | 'cancelled' | 'skipped' | 'timed_out' | 'action_required';

/** Check-run output fields are capped at 65,535 characters. */
const OUTPUT_LIMIT = 65_535;

/** Starts an in-progress check run on `headSha`, so the pull request shows the preview being built. Returns its id. */
export async function createCheckRun(input: {
  octokit: Octokit;
  repo: RepoRef;
  headSha: string;
  name: string;
  detailsUrl?: string;
  startedAt?: Date;
}): Promise<number> {
  const { data } = await input.octokit.rest.checks.create({
    ...input.repo,
    head_sha: input.headSha,
    name: input.name,
    status: 'in_progress',
    ...(input.startedAt ? { started_at: input.startedAt.toISOString() } : {}),
    ...(input.detailsUrl ? { details_url: input.detailsUrl } : {}),
  });
  return data.id;
}

/** Completes a check run with a conclusion and a markdown summary (cut to GitHub's limit). */
export async function completeCheckRun(input: {
  octokit: Octokit;
  repo: RepoRef;
  checkRunId: number;
  conclusion: CheckConclusion;
  title: string;
  summary: string;
  completedAt?: Date;
}): Promise<void> {
  await input.octokit.rest.checks.update({
    ...input.repo,
    check_run_id: input.checkRunId,
    status: 'completed',
    conclusion: input.conclusion,
    ...(input.completedAt ? { completed_at: input.completedAt.toISOString() } : {}),
    output: { title: input.title, summary: truncateText(input.summary, OUTPUT_LIMIT, 'the workflow run') },
  });
}
