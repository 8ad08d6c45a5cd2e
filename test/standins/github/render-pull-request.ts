import { readAuthorAssociation } from './author-association.js';
import type { RenderContext } from './render-context.js';
import { createNodeId } from './render-context.js';
import { renderRepository } from './render-repository.js';
import { renderUserByLogin } from './render-user.js';
import type { LabelRecord, PullRequestRecord } from './records.js';

/** Renders a label as it appears inside issues and pull requests. */
export function renderLabel(context: RenderContext, label: LabelRecord): Record<string, unknown> {
  return {
    id: label.id,
    node_id: createNodeId('Label', label.id),
    url: `${context.apiUrl}/repos/${label.repo}/labels/${encodeURIComponent(label.name)}`,
    name: label.name,
    description: label.description ?? '',
    color: label.color,
    default: false,
  };
}

function renderLabels(context: RenderContext, pull: PullRequestRecord): Record<string, unknown>[] {
  return pull.labels.map((name) => renderLabel(context, context.state.ensureLabel({ repo: pull.repo, name })));
}

function renderBranch(context: RenderContext, repoName: string, ref: string, sha: string): Record<string, unknown> {
  const repository = context.state.readRepository(repoName);
  return {
    label: `${repository.owner}:${ref}`,
    ref,
    sha,
    user: renderUserByLogin(context, repository.owner),
    repo: renderRepository(context, repository),
  };
}

/** Renders a pull request as the list endpoint does (`pull-request-simple`). */
export function renderPullRequestSimple(context: RenderContext, pull: PullRequestRecord): Record<string, unknown> {
  const api = `${context.apiUrl}/repos/${pull.repo}`;
  const html = `${context.htmlUrl}/${pull.repo}/pull/${pull.number}`;
  const link = (href: string): { href: string } => ({ href });
  return {
    url: `${api}/pulls/${pull.number}`,
    id: pull.id,
    node_id: createNodeId('PullRequest', pull.id),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: `${api}/issues/${pull.number}`,
    commits_url: `${api}/pulls/${pull.number}/commits`,
    review_comments_url: `${api}/pulls/${pull.number}/comments`,
    review_comment_url: `${api}/pulls/comments{/number}`,
    comments_url: `${api}/issues/${pull.number}/comments`,
    statuses_url: `${api}/statuses/${pull.head.sha}`,
    number: pull.number,
    state: pull.state,
    locked: pull.locked,
    title: pull.title,
    user: renderUserByLogin(context, pull.author),
    body: pull.body,
    labels: renderLabels(context, pull),
    milestone: null,
    active_lock_reason: null,
    created_at: pull.createdAt,
    updated_at: pull.updatedAt,
    closed_at: pull.closedAt,
    merged_at: pull.mergedAt,
    merge_commit_sha: pull.mergeCommitSha,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: renderBranch(context, pull.head.repo, pull.head.ref, pull.head.sha),
    base: renderBranch(context, pull.repo, pull.base.ref, pull.base.sha),
    _links: {
      self: link(`${api}/pulls/${pull.number}`),
      html: link(html),
      issue: link(`${api}/issues/${pull.number}`),
      comments: link(`${api}/issues/${pull.number}/comments`),
      review_comments: link(`${api}/pulls/${pull.number}/comments`),
      review_comment: link(`${api}/pulls/comments{/number}`),
      commits: link(`${api}/pulls/${pull.number}/commits`),
      statuses: link(`${api}/statuses/${pull.head.sha}`),
    },
    author_association: readAuthorAssociation(context.state, pull.repo, pull.author),
    auto_merge: null,
    draft: pull.draft,
  };
}

/** Renders GET /repos/{owner}/{repo}/pulls/{pull_number} (`pull-request`). */
export function renderPullRequest(context: RenderContext, pull: PullRequestRecord): Record<string, unknown> {
  const comments = context.state.data.comments.filter(
    (c) => c.repo === pull.repo && c.issueNumber === pull.number,
  ).length;
  return {
    ...renderPullRequestSimple(context, pull),
    merged: pull.merged,
    mergeable: pull.state === 'open' ? true : null,
    rebaseable: pull.state === 'open' ? true : null,
    mergeable_state: pull.state === 'open' ? 'clean' : 'unknown',
    merged_by: pull.mergedBy ? renderUserByLogin(context, pull.mergedBy) : null,
    comments,
    review_comments: 0,
    maintainer_can_modify: pull.head.repo !== pull.repo,
    commits: pull.commits.length,
    additions: pull.commits.length,
    deletions: 0,
    changed_files: pull.commits.length,
  };
}

/** Renders the pull request as an issue (GET /repos/{owner}/{repo}/issues/{issue_number}). */
export function renderPullRequestIssue(context: RenderContext, pull: PullRequestRecord): Record<string, unknown> {
  const api = `${context.apiUrl}/repos/${pull.repo}`;
  const html = `${context.htmlUrl}/${pull.repo}/pull/${pull.number}`;
  return {
    id: pull.id + 1_000_000,
    node_id: createNodeId('Issue', pull.id),
    url: `${api}/issues/${pull.number}`,
    repository_url: api,
    labels_url: `${api}/issues/${pull.number}/labels{/name}`,
    comments_url: `${api}/issues/${pull.number}/comments`,
    events_url: `${api}/issues/${pull.number}/events`,
    html_url: html,
    number: pull.number,
    state: pull.state,
    state_reason: null,
    title: pull.title,
    body: pull.body,
    user: renderUserByLogin(context, pull.author),
    labels: renderLabels(context, pull),
    assignee: null,
    assignees: [],
    milestone: null,
    locked: pull.locked,
    active_lock_reason: null,
    comments: context.state.data.comments.filter((c) => c.repo === pull.repo && c.issueNumber === pull.number).length,
    pull_request: {
      url: `${api}/pulls/${pull.number}`,
      html_url: html,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      merged_at: pull.mergedAt,
    },
    closed_at: pull.closedAt,
    created_at: pull.createdAt,
    updated_at: pull.updatedAt,
    draft: pull.draft,
    author_association: readAuthorAssociation(context.state, pull.repo, pull.author),
  };
}
