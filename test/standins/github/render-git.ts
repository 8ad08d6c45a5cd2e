import type { RenderContext } from './render-context.js';
import type { CommitRecord, RefRecord, TagObjectRecord } from './records.js';

function nodeIdForSha(kind: string, sha: string): string {
  return Buffer.from(`${kind}:${sha}`).toString('base64');
}

/** Renders a ref (`git-ref`). */
export function renderRef(context: RenderContext, ref: RefRecord): Record<string, unknown> {
  const api = `${context.apiUrl}/repos/${ref.repo}`;
  return {
    ref: ref.ref,
    node_id: nodeIdForSha('Ref', ref.ref),
    url: `${api}/git/${ref.ref}`,
    object: { type: ref.type, sha: ref.sha, url: `${api}/git/${ref.type === 'tag' ? 'tags' : 'commits'}/${ref.sha}` },
  };
}

/** Renders an annotated tag object (`git-tag`). */
export function renderTagObject(context: RenderContext, tag: TagObjectRecord): Record<string, unknown> {
  const api = `${context.apiUrl}/repos/${tag.repo}`;
  return {
    node_id: nodeIdForSha('Tag', tag.sha),
    sha: tag.sha,
    url: `${api}/git/tags/${tag.sha}`,
    tag: tag.tag,
    message: tag.message,
    tagger: tag.tagger,
    object: { sha: tag.objectSha, type: 'commit', url: `${api}/git/commits/${tag.objectSha}` },
    verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
  };
}

/** Renders a commit as a timeline `committed` event (`timeline-committed-event`). */
export function renderCommittedEvent(context: RenderContext, commit: CommitRecord): Record<string, unknown> {
  const api = `${context.apiUrl}/repos/${commit.repo}`;
  return {
    event: 'committed',
    sha: commit.sha,
    node_id: nodeIdForSha('Commit', commit.sha),
    url: `${api}/git/commits/${commit.sha}`,
    html_url: `${context.htmlUrl}/${commit.repo}/commit/${commit.sha}`,
    author: commit.author,
    committer: commit.committer,
    tree: { sha: commit.treeSha, url: `${api}/git/trees/${commit.treeSha}` },
    message: commit.message,
    parents: commit.parents.map((sha) => ({
      sha,
      url: `${api}/git/commits/${sha}`,
      html_url: `${context.htmlUrl}/${commit.repo}/commit/${sha}`,
    })),
    verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
  };
}
