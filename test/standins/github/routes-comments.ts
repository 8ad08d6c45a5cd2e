import { validationFailed } from './api-error.js';
import { paginate } from './paginate.js';
import { renderComment, renderCommentedEvent, renderIssueEvent, renderReaction } from './render-comment.js';
import { renderCommittedEvent } from './render-git.js';
import { defineRoute, readRepoName, type Route, type RouteRequest } from './router.js';
import type { ReactionContent } from './records.js';

function readCommentBody(request: RouteRequest): string {
  const body = request.body.body;
  if (typeof body !== 'string') throw validationFailed('IssueComment', 'body');
  return body;
}

/** Issue comments, their reactions, and the issue timeline. */
export function createCommentRoutes(): Route[] {
  return [
    defineRoute('GET', '/repos/{owner}/{repo}/issues/{issue_number}/comments', (request, context) => {
      const since = request.query.get('since');
      const comments = context.state.comments
        .list({ repo: readRepoName(request), issueNumber: Number(request.params.issue_number) })
        .filter((c) => !since || Date.parse(c.updatedAt) >= Date.parse(since));
      return paginate(
        request,
        context,
        comments.map((c) => renderComment(context, c)),
      );
    }),
    defineRoute('POST', '/repos/{owner}/{repo}/issues/{issue_number}/comments', (request, context) => {
      const comment = context.state.comments.create({
        repo: readRepoName(request),
        issueNumber: Number(request.params.issue_number),
        body: readCommentBody(request),
        author: request.user.login,
      });
      const rendered = renderComment(context, comment);
      return { status: 201, body: rendered, headers: { location: String(rendered.url) } };
    }),
    defineRoute('GET', '/repos/{owner}/{repo}/issues/comments/{comment_id}', (request, context) => {
      const comment = context.state.comments.read({
        repo: readRepoName(request),
        id: Number(request.params.comment_id),
      });
      return { status: 200, body: renderComment(context, comment) };
    }),
    defineRoute('PATCH', '/repos/{owner}/{repo}/issues/comments/{comment_id}', (request, context) => {
      const comment = context.state.comments.update({
        repo: readRepoName(request),
        id: Number(request.params.comment_id),
        body: readCommentBody(request),
      });
      return { status: 200, body: renderComment(context, comment) };
    }),
    defineRoute('DELETE', '/repos/{owner}/{repo}/issues/comments/{comment_id}', (request, context) => {
      context.state.comments.delete({ repo: readRepoName(request), id: Number(request.params.comment_id) });
      return { status: 204 };
    }),
    defineRoute('GET', '/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions', (request, context) => {
      const comment = context.state.comments.read({
        repo: readRepoName(request),
        id: Number(request.params.comment_id),
      });
      const content = request.query.get('content');
      const reactions = context.state.data.reactions.filter(
        (r) => r.commentId === comment.id && (!content || r.content === content),
      );
      return paginate(
        request,
        context,
        reactions.map((r) => renderReaction(context, r)),
      );
    }),
    defineRoute('POST', '/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions', (request, context) => {
      const { reaction, created } = context.state.comments.addReaction({
        repo: readRepoName(request),
        commentId: Number(request.params.comment_id),
        content: request.body.content as ReactionContent,
        user: request.user.login,
      });
      return { status: created ? 201 : 200, body: renderReaction(context, reaction) };
    }),
    defineRoute('GET', '/repos/{owner}/{repo}/issues/{issue_number}/timeline', (request, context) => {
      const { state } = context;
      const pull = state.pulls.read({ repo: readRepoName(request), number: Number(request.params.issue_number) });
      const entries: { at: string; body: Record<string, unknown> }[] = [
        ...pull.commits.flatMap((sha) => {
          const commit = state.findCommit(sha);
          return commit ? [{ at: commit.committer.date, body: renderCommittedEvent(context, commit) }] : [];
        }),
        ...state.comments
          .list({ repo: pull.repo, issueNumber: pull.number })
          .map((c) => ({ at: c.createdAt, body: renderCommentedEvent(context, c) })),
        ...state.data.issueEvents
          .filter((e) => e.repo === pull.repo && e.issueNumber === pull.number)
          .map((e) => ({ at: e.createdAt, body: renderIssueEvent(context, e) })),
      ];
      const ordered = entries
        .map((entry, index) => ({ ...entry, index }))
        .sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.index - b.index);
      return paginate(
        request,
        context,
        ordered.map((e) => e.body),
      );
    }),
  ];
}
