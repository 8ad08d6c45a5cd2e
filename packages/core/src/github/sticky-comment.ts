import type { Octokit } from '../action/context.js';
import type { Logger } from '../action/logger.js';
import type { RepoRef } from './repo-ref.js';
import { compareRuns, formatStickyBody, parseStickyBody, type RunStamp, type StickyBody } from './sticky-marker.js';
import { readTokenLogin } from './token-login.js';
import { GITHUB_TEXT_LIMIT, truncateText } from './truncate-text.js';

/** What to do with the sticky comment. */
export type StickyCommentMode = 'upsert' | 'delete' | 'hide';

/** Arguments of {@link upsertStickyComment}. */
export interface StickyCommentRequest extends RunStamp {
  octokit: Octokit;
  repo: RepoRef;
  issueNumber: number;
  /** Names the comment, so several sticky comments can live on one pull request. */
  header: string;
  /** Markdown content; required for `upsert`. */
  body?: string;
  mode?: StickyCommentMode;
  /** The login the token writes as; found from the token when absent (see {@link readTokenLogin}). */
  login?: string;
  log?: Logger;
}

/** What happened. `stale` means a newer run had already written the comment. */
export interface StickyCommentResult {
  action: 'created' | 'updated' | 'unchanged' | 'stale' | 'deleted' | 'hidden' | 'absent';
  commentId?: number;
  url?: string;
}

interface OwnComment {
  id: number;
  nodeId: string;
  url: string;
  parsed: StickyBody;
}

const MAX_PAGES = 50;

/**
 * Keeps one comment per header on an issue or pull request up to date. Only a comment that
 * starts with the header marker AND was written by the token's own login counts as ours, so
 * a user who pastes the marker never gets their comment edited. An older run never
 * overwrites a newer run's comment; an unchanged body costs no write; an over-long body is
 * truncated with a note. `delete` removes our comments, `hide` minimizes them as outdated.
 */
export async function upsertStickyComment(request: StickyCommentRequest): Promise<StickyCommentResult> {
  const mode = request.mode ?? 'upsert';
  if (!/^\d+$/.test(request.runId) || !/^\d+$/.test(request.runAttempt)) {
    throw new Error(`Run id and attempt must be numbers, got ${request.runId}/${request.runAttempt}`);
  }
  if (mode === 'upsert' && request.body === undefined) throw new Error('upsertStickyComment needs a body to upsert');
  const login = await readTokenLogin({
    octokit: request.octokit,
    ...(request.login ? { override: request.login } : {}),
    ...(request.log ? { log: request.log } : {}),
  });
  const own = await listOwnComments(request, login);
  if (mode === 'delete') return deleteComments(request, own);
  if (mode === 'hide') return hideComments(request, own);
  return writeComment(request, own[0]);
}

async function writeComment(
  request: StickyCommentRequest,
  current: OwnComment | undefined,
): Promise<StickyCommentResult> {
  const run = { runId: request.runId, runAttempt: request.runAttempt };
  const room = GITHUB_TEXT_LIMIT - formatStickyBody(request.header, run, '').length;
  const content = truncateText(request.body ?? '', room);
  const body = formatStickyBody(request.header, run, content);
  const { owner, repo } = request.repo;
  if (!current) {
    const { data } = await request.octokit.rest.issues.createComment({
      owner,
      repo,
      issue_number: request.issueNumber,
      body,
    });
    return { action: 'created', commentId: data.id, url: data.html_url };
  }
  const seen = { commentId: current.id, url: current.url };
  if (current.parsed.run && compareRuns(current.parsed.run, run) > 0) {
    request.log?.info(
      `Comment ${current.url} was written by newer run ${current.parsed.run.runId}/${current.parsed.run.runAttempt}; leaving it`,
    );
    return { action: 'stale', ...seen };
  }
  if (current.parsed.content === content) return { action: 'unchanged', ...seen };
  await request.octokit.rest.issues.updateComment({ owner, repo, comment_id: current.id, body });
  return { action: 'updated', ...seen };
}

async function deleteComments(request: StickyCommentRequest, own: OwnComment[]): Promise<StickyCommentResult> {
  for (const comment of own) {
    await request.octokit.rest.issues.deleteComment({ ...request.repo, comment_id: comment.id });
  }
  return own.length === 0 ? { action: 'absent' } : { action: 'deleted', commentId: own[0]!.id };
}

async function hideComments(request: StickyCommentRequest, own: OwnComment[]): Promise<StickyCommentResult> {
  for (const comment of own) {
    await request.octokit.graphql(
      'mutation($id: ID!) { minimizeComment(input: { subjectId: $id, classifier: OUTDATED }) { minimizedComment { isMinimized } } }',
      { id: comment.nodeId },
    );
  }
  return own.length === 0 ? { action: 'absent' } : { action: 'hidden', commentId: own[0]!.id, url: own[0]!.url };
}

async function listOwnComments(request: StickyCommentRequest, login: string): Promise<OwnComment[]> {
  const own: OwnComment[] = [];
  const wanted = login.toLowerCase();
  let pages = 0;
  const iterator = request.octokit.paginate.iterator(request.octokit.rest.issues.listComments, {
    ...request.repo,
    issue_number: request.issueNumber,
    per_page: 100,
  });
  for await (const { data } of iterator) {
    for (const comment of data) {
      if (comment.user?.login.toLowerCase() !== wanted) continue;
      const parsed = parseStickyBody(request.header, comment.body ?? '');
      if (parsed) own.push({ id: comment.id, nodeId: comment.node_id, url: comment.html_url, parsed });
    }
    pages += 1;
    if (pages >= MAX_PAGES) {
      request.log?.warning(
        `Stopped reading comments of #${request.issueNumber} after ${pages * 100}; an older sticky comment may be missed`,
      );
      break;
    }
  }
  return own;
}
