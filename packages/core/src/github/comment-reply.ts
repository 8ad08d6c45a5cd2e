import type { Octokit } from '../action/context.js';
import type { RepoRef } from './repo-ref.js';
import { truncateText } from './truncate-text.js';

/** The reactions ChatOps answers with: seen, done, refused. */
export type CommandReaction = 'eyes' | 'rocket' | 'confused';

/** Reacts to a comment. Reacting twice with the same content is harmless (GitHub returns the existing reaction). */
export async function addReaction(input: {
  octokit: Octokit;
  repo: RepoRef;
  commentId: number;
  content: CommandReaction;
}): Promise<void> {
  await input.octokit.rest.reactions.createForIssueComment({
    ...input.repo,
    comment_id: input.commentId,
    content: input.content,
  });
}

/**
 * Answers a command with a new comment on the same issue, mentioning whoever gave it.
 * Returns the new comment's id and URL.
 */
export async function createReplyComment(input: {
  octokit: Octokit;
  repo: RepoRef;
  issueNumber: number;
  mention: string;
  body: string;
}): Promise<{ id: number; url: string }> {
  const { data } = await input.octokit.rest.issues.createComment({
    ...input.repo,
    issue_number: input.issueNumber,
    body: truncateText(`@${input.mention} ${input.body}`),
  });
  return { id: data.id, url: data.html_url };
}
