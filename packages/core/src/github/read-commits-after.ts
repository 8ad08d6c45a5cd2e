import type { Octokit } from '../action/context.js';
import { readHttpStatus } from './http-status.js';
import type { RepoRef } from './repo-ref.js';

/** Whether commits reached a pull request after a moment, with what showed it. */
export interface CommitsAfter {
  reached: boolean | 'unknown';
  reason: string;
}

const MAX_PAGES = 30;

/**
 * Tells whether commits reached a pull request after `since` (a command comment's
 * `created_at`), from its timeline: a `head_ref_force_pushed` event is stamped by GitHub
 * when the push happens, and a `committed` event carries the commit's committer date.
 * Committer dates come from the pusher's machine, so a commit made before the comment but
 * pushed after it is not seen; callers that must be exact ask for `/deploy <sha>`, which
 * compares shas. Any failure to read gives `unknown`, which refuses a deploy.
 */
export async function readCommitsAfter(input: {
  octokit: Octokit;
  repo: RepoRef;
  issueNumber: number;
  since: Date;
}): Promise<CommitsAfter> {
  const since = input.since.getTime();
  let pages = 0;
  try {
    const iterator = input.octokit.paginate.iterator(input.octokit.rest.issues.listEventsForTimeline, {
      ...input.repo,
      issue_number: input.issueNumber,
      per_page: 100,
    });
    for await (const { data } of iterator) {
      for (const event of data as TimelineEvent[]) {
        const found = readLaterCommit(event, since);
        if (found) return { reached: true, reason: found };
      }
      pages += 1;
      if (pages >= MAX_PAGES)
        return { reached: 'unknown', reason: `the timeline is longer than ${pages * 100} events` };
    }
    return { reached: false, reason: 'no commits after the comment' };
  } catch (error) {
    const status = readHttpStatus(error);
    return { reached: 'unknown', reason: `could not read the timeline${status ? ` (HTTP ${status})` : ''}` };
  }
}

interface TimelineEvent {
  event?: string;
  sha?: string;
  created_at?: string;
  committer?: { date?: string };
}

function readLaterCommit(event: TimelineEvent, since: number): string | undefined {
  if (event.event === 'committed') {
    const at = Date.parse(event.committer?.date ?? '');
    if (at > since) return `commit ${event.sha?.slice(0, 12) ?? '?'} was committed at ${event.committer?.date}`;
  }
  if (event.event === 'head_ref_force_pushed') {
    const at = Date.parse(event.created_at ?? '');
    if (at > since) return `the branch was force-pushed at ${event.created_at}`;
  }
  return undefined;
}
