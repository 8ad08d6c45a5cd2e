import { GitHubApiError } from './api-error.js';
import { paginate } from './paginate.js';
import { renderPullRequest, renderPullRequestIssue, renderPullRequestSimple } from './render-pull-request.js';
import { defineRoute, readRepoName, type Route } from './router.js';
import type { PullRequestRecord } from './records.js';

function compareBy(sort: string): (a: PullRequestRecord, b: PullRequestRecord) => number {
  if (sort === 'updated') return (a, b) => a.updatedAt.localeCompare(b.updatedAt) || a.number - b.number;
  return (a, b) => a.number - b.number;
}

/** Pull requests, and a pull request read as an issue. */
export function createPullRoutes(): Route[] {
  return [
    defineRoute('GET', '/repos/{owner}/{repo}/pulls', (request, context) => {
      const repository = context.state.readRepository(readRepoName(request));
      const state = request.query.get('state') ?? 'open';
      if (!['open', 'closed', 'all'].includes(state)) throw new GitHubApiError(422, 'Validation Failed');
      const head = request.query.get('head');
      const base = request.query.get('base');
      const sort = request.query.get('sort') ?? 'created';
      const direction = request.query.get('direction') ?? (sort === 'created' ? 'desc' : 'asc');
      const pulls = context.state.data.pullRequests
        .filter((p) => p.repo === repository.fullName && (state === 'all' || p.state === state))
        .filter((p) => !base || p.base.ref === base)
        .filter(
          (p) =>
            !head ||
            `${context.state.readRepository(p.head.repo).owner}:${p.head.ref}`.toLowerCase() === head.toLowerCase(),
        )
        .sort(compareBy(sort));
      if (direction === 'desc') pulls.reverse();
      return paginate(
        request,
        context,
        pulls.map((p) => renderPullRequestSimple(context, p)),
      );
    }),
    defineRoute('GET', '/repos/{owner}/{repo}/pulls/{pull_number}', (request, context) => {
      const pull = context.state.pulls.read({
        repo: readRepoName(request),
        number: Number(request.params.pull_number),
      });
      return { status: 200, body: renderPullRequest(context, pull) };
    }),
    defineRoute('GET', '/repos/{owner}/{repo}/issues/{issue_number}', (request, context) => {
      const pull = context.state.pulls.read({
        repo: readRepoName(request),
        number: Number(request.params.issue_number),
      });
      return { status: 200, body: renderPullRequestIssue(context, pull) };
    }),
  ];
}
