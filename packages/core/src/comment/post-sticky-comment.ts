import type { Octokit } from '../action/context.js';
import type { Logger } from '../action/logger.js';
import type { RepoRef } from '../github/repo-ref.js';
import { upsertStickyComment, type StickyCommentMode, type StickyCommentResult } from '../github/sticky-comment.js';
import { formatStickyBody, type RunStamp } from '../github/sticky-marker.js';
import { GITHUB_TEXT_LIMIT } from '../github/truncate-text.js';
import { truncateMarkdown } from './truncate-markdown.js';

/** Arguments of {@link postStickyComment}. */
export interface PostStickyCommentRequest {
  octokit: Octokit;
  repo: RepoRef;
  issueNumber: number;
  header: string;
  mode: StickyCommentMode;
  /** Markdown; required for `upsert`. */
  content?: string;
  run: RunStamp;
  /** Values that must never appear in the comment; each is replaced by `***`. */
  redact?: readonly string[];
  login?: string;
  log?: Logger;
}

/** What {@link postStickyComment} did, and whether the content had to be cut. */
export interface PostStickyCommentResult extends StickyCommentResult {
  truncated: boolean;
}

/**
 * Writes, deletes or hides the sticky comment for `header`. Before writing, secrets listed in
 * `redact` are blanked and over-long markdown is cut so it still renders (open code fences and
 * HTML comments closed) within GitHub's limit; ownership, the stale-run guard and skipping an
 * unchanged body are {@link upsertStickyComment}'s.
 */
export async function postStickyComment(request: PostStickyCommentRequest): Promise<PostStickyCommentResult> {
  let body: string | undefined;
  let truncated = false;
  if (request.mode === 'upsert') {
    const clean = redactValues(request.content ?? '', request.redact ?? []);
    const room = GITHUB_TEXT_LIMIT - formatStickyBody(request.header, request.run, '').length;
    body = truncateMarkdown(clean, room);
    truncated = body !== clean;
  }
  const result = await upsertStickyComment({
    octokit: request.octokit,
    repo: request.repo,
    issueNumber: request.issueNumber,
    header: request.header,
    mode: request.mode,
    runId: request.run.runId,
    runAttempt: request.run.runAttempt,
    ...(body !== undefined ? { body } : {}),
    ...(request.login ? { login: request.login } : {}),
    ...(request.log ? { log: request.log } : {}),
  });
  return { ...result, truncated };
}

/** Replaces every occurrence of each non-trivial secret, longest first so overlapping ones go whole. */
export function redactValues(text: string, secrets: readonly string[]): string {
  const wanted = [...new Set(secrets.filter((s) => s.length >= 3))].sort((a, b) => b.length - a.length);
  return wanted.reduce((out, secret) => out.split(secret).join('***'), text);
}
