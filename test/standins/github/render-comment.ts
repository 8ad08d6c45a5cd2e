import { readAuthorAssociation } from './author-association.js';
import type { RenderContext } from './render-context.js';
import { createNodeId } from './render-context.js';
import { renderUserByLogin } from './render-user.js';
import type { CommentRecord, IssueEventRecord, ReactionRecord } from './records.js';

function renderReactionRollup(context: RenderContext, comment: CommentRecord): Record<string, unknown> {
  const reactions = context.state.data.reactions.filter((r) => r.commentId === comment.id);
  const count = (content: string): number => reactions.filter((r) => r.content === content).length;
  return {
    url: `${context.apiUrl}/repos/${comment.repo}/issues/comments/${comment.id}/reactions`,
    total_count: reactions.length,
    '+1': count('+1'),
    '-1': count('-1'),
    laugh: count('laugh'),
    hooray: count('hooray'),
    confused: count('confused'),
    heart: count('heart'),
    rocket: count('rocket'),
    eyes: count('eyes'),
  };
}

/** Renders an issue comment (`issue-comment`). */
export function renderComment(context: RenderContext, comment: CommentRecord): Record<string, unknown> {
  const api = `${context.apiUrl}/repos/${comment.repo}`;
  return {
    id: comment.id,
    node_id: createNodeId('IssueComment', comment.id),
    url: `${api}/issues/comments/${comment.id}`,
    html_url: `${context.htmlUrl}/${comment.repo}/pull/${comment.issueNumber}#issuecomment-${comment.id}`,
    body: comment.body,
    user: renderUserByLogin(context, comment.author),
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    issue_url: `${api}/issues/${comment.issueNumber}`,
    author_association: readAuthorAssociation(context.state, comment.repo, comment.author),
    performed_via_github_app: null,
    reactions: renderReactionRollup(context, comment),
    ...(comment.minimizedReason ? { minimized: { reason: comment.minimizedReason } } : {}),
  };
}

/** Renders a comment as a timeline `commented` event (`timeline-comment-event`). */
export function renderCommentedEvent(context: RenderContext, comment: CommentRecord): Record<string, unknown> {
  const user = renderUserByLogin(context, comment.author);
  return { event: 'commented', actor: user, ...renderComment(context, comment) };
}

/** Renders a label or state change on the timeline (`labeled-issue-event`, `state-change-issue-event`). */
export function renderIssueEvent(context: RenderContext, event: IssueEventRecord): Record<string, unknown> {
  const api = `${context.apiUrl}/repos/${event.repo}`;
  const commitSha = event.commitSha ?? null;
  const label =
    event.label === undefined ? undefined : context.state.ensureLabel({ repo: event.repo, name: event.label });
  return {
    id: event.id,
    node_id: createNodeId('IssueEvent', event.id),
    url: `${api}/issues/events/${event.id}`,
    actor: renderUserByLogin(context, event.actor),
    event: event.event,
    commit_id: commitSha,
    commit_url: commitSha ? `${api}/commits/${commitSha}` : null,
    created_at: event.createdAt,
    performed_via_github_app: null,
    ...(label ? { label: { name: label.name, color: label.color } } : {}),
  };
}

/** Renders a reaction (`reaction`). */
export function renderReaction(context: RenderContext, reaction: ReactionRecord): Record<string, unknown> {
  return {
    id: reaction.id,
    node_id: createNodeId('Reaction', reaction.id),
    user: renderUserByLogin(context, reaction.user),
    content: reaction.content,
    created_at: reaction.createdAt,
  };
}
