import { createHash } from 'node:crypto';

/** Whose preview a DNS record belongs to. */
export interface RecordOwner {
  /** `owner/name`; compared case-insensitively, as GitHub does. */
  repo: string;
  pr: number;
}

/** What an ownership comment says: the repository by name, or by hash when the name is too long. */
export interface OwnerCommentFacts {
  repo?: string;
  repoHash?: string;
  pr: number;
}

const PREFIX = 'preview-actions:';
/** Free Cloudflare plans cap record comments at 100 characters; the longest pr= part is 10 digits. */
const LONGEST_PLAIN_REPO = 100 - `${PREFIX}repo=;pr=`.length - 10;
const COMMENT =
  /^preview-actions:(?:repo=([A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100})|repo-sha256=([0-9a-f]{16}));pr=([1-9][0-9]{0,9})$/;

/**
 * The comment that marks a record as ours: `preview-actions:repo=<owner/name>;pr=<N>`, or
 * `preview-actions:repo-sha256=<16 hex>;pr=<N>` for repositories whose name would not fit in
 * the 100 characters free plans allow. The choice depends on the repository alone, so one
 * repository always gets one form.
 */
export function formatOwnerComment(owner: RecordOwner): string {
  return `${formatRepoPart(owner.repo)};pr=${owner.pr}`;
}

/** The start every comment of this repository's records shares, for Cloudflare's `comment.startswith` filter. */
export function formatOwnerCommentPrefix(repo: string): string {
  return `${formatRepoPart(repo)};pr=`;
}

/** Reads an ownership comment strictly; anything else (a hand-written note, a near miss) is undefined. */
export function parseOwnerComment(comment: string | null | undefined): OwnerCommentFacts | undefined {
  const match = COMMENT.exec(comment ?? '');
  if (!match) return undefined;
  const pr = Number(match[3]);
  return match[1] !== undefined ? { repo: match[1], pr } : { repoHash: match[2]!, pr };
}

/** True when the comment marks the record as this repository's (and this pull request's, when given). */
export function isOwnerComment(comment: string | null | undefined, owner: { repo: string; pr?: number }): boolean {
  const facts = parseOwnerComment(comment);
  if (!facts) return false;
  if (owner.pr !== undefined && facts.pr !== owner.pr) return false;
  if (facts.repo !== undefined) return facts.repo.toLowerCase() === owner.repo.toLowerCase();
  return facts.repoHash === hashRepo(owner.repo);
}

function formatRepoPart(repo: string): string {
  return repo.length <= LONGEST_PLAIN_REPO ? `${PREFIX}repo=${repo}` : `${PREFIX}repo-sha256=${hashRepo(repo)}`;
}

function hashRepo(repo: string): string {
  return createHash('sha256').update(repo.toLowerCase()).digest('hex').slice(0, 16);
}
