import { ConfigurationError } from '../action/errors.js';

/** The parts of an `issue_comment` event that ChatOps reads. */
export interface CommentEvent {
  action: string;
  commentId: number;
  body: string;
  createdAt: Date;
  author: { login: string; type: string };
  issueNumber: number;
  onPullRequest: boolean;
}

/**
 * Reads an `issue_comment` webhook payload. A payload of another shape means the workflow
 * triggers the action on the wrong event, which the user fixes in the workflow file.
 */
export function readCommentEvent(payload: Record<string, unknown>): CommentEvent {
  const comment = payload.comment as Record<string, unknown> | undefined;
  const issue = payload.issue as Record<string, unknown> | undefined;
  const user = comment?.user as Record<string, unknown> | undefined;
  const createdAt = new Date(String(comment?.created_at ?? ''));
  if (
    typeof payload.action !== 'string' ||
    typeof comment?.id !== 'number' ||
    typeof user?.login !== 'string' ||
    typeof issue?.number !== 'number' ||
    Number.isNaN(createdAt.getTime())
  ) {
    throw new ConfigurationError(
      'This action handles issue_comment events: trigger it with `on: issue_comment` (types: [created])',
    );
  }
  return {
    action: payload.action,
    commentId: comment.id,
    body: typeof comment.body === 'string' ? comment.body : '',
    createdAt,
    author: { login: user.login, type: typeof user.type === 'string' ? user.type : 'User' },
    issueNumber: issue.number,
    onPullRequest: issue.pull_request !== undefined && issue.pull_request !== null,
  };
}
