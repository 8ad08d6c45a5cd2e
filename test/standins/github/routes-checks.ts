import { validationFailed } from './api-error.js';
import { paginate } from './paginate.js';
import { renderCheckRun, renderCommitStatus } from './render-checks.js';
import { defineRoute, readRepoName, type Route, type RouteRequest } from './router.js';
import type { CheckRunInput } from './check-store.js';
import type { CommitStatusRecord } from './records.js';

function readCheckRunFields(request: RouteRequest): Omit<CheckRunInput, 'repo' | 'creator'> {
  const { body } = request;
  const fields: Omit<CheckRunInput, 'repo' | 'creator'> = {};
  if (typeof body.name === 'string') fields.name = body.name;
  if (typeof body.head_sha === 'string') fields.headSha = body.head_sha;
  if (typeof body.status === 'string') fields.status = body.status as CheckRunInput['status'];
  if (body.conclusion !== undefined) fields.conclusion = body.conclusion as string | null;
  if (body.started_at !== undefined) fields.startedAt = body.started_at as string | null;
  if (body.completed_at !== undefined) fields.completedAt = body.completed_at as string | null;
  if (body.details_url !== undefined) fields.detailsUrl = body.details_url as string | null;
  if (body.external_id !== undefined) fields.externalId = body.external_id as string | null;
  if (body.output && typeof body.output === 'object') fields.output = body.output as CheckRunInput['output'];
  return fields;
}

/** Check runs and commit statuses. */
export function createCheckRoutes(): Route[] {
  return [
    defineRoute('POST', '/repos/{owner}/{repo}/check-runs', (request, context) => {
      const run = context.state.checks.createRun({
        repo: readRepoName(request),
        creator: request.user.login,
        ...readCheckRunFields(request),
      });
      return { status: 201, body: renderCheckRun(context, run) };
    }),
    defineRoute('GET', '/repos/{owner}/{repo}/check-runs/{check_run_id}', (request, context) => {
      const run = context.state.checks.readRun({
        repo: readRepoName(request),
        id: Number(request.params.check_run_id),
      });
      return { status: 200, body: renderCheckRun(context, run) };
    }),
    defineRoute('PATCH', '/repos/{owner}/{repo}/check-runs/{check_run_id}', (request, context) => {
      const { headSha: _ignored, ...fields } = readCheckRunFields(request);
      const run = context.state.checks.updateRun({
        repo: readRepoName(request),
        id: Number(request.params.check_run_id),
        ...fields,
      });
      return { status: 200, body: renderCheckRun(context, run) };
    }),
    defineRoute('GET', '/repos/{owner}/{repo}/commits/{ref}/check-runs', (request, context) => {
      const repo = readRepoName(request);
      const sha = context.state.resolveRef({ repo, ref: request.params.ref ?? '' });
      const name = request.query.get('check_name');
      const runs = context.state.data.checkRuns.filter(
        (r) =>
          r.repo === context.state.readRepository(repo).fullName && r.headSha === sha && (!name || r.name === name),
      );
      return {
        status: 200,
        body: { total_count: runs.length, check_runs: runs.reverse().map((r) => renderCheckRun(context, r)) },
      };
    }),
    defineRoute('POST', '/repos/{owner}/{repo}/statuses/{sha}', (request, context) => {
      const { body } = request;
      if (typeof body.state !== 'string') throw validationFailed('Status', 'state');
      const status = context.state.checks.createStatus({
        repo: readRepoName(request),
        sha: request.params.sha ?? '',
        state: body.state as CommitStatusRecord['state'],
        creator: request.user.login,
        ...(body.target_url !== undefined ? { targetUrl: body.target_url as string | null } : {}),
        ...(body.description !== undefined ? { description: body.description as string | null } : {}),
        ...(typeof body.context === 'string' ? { context: body.context } : {}),
      });
      return { status: 201, body: renderCommitStatus(context, status) };
    }),
    defineRoute('GET', '/repos/{owner}/{repo}/commits/{ref}/statuses', (request, context) => {
      const repo = readRepoName(request);
      const sha = context.state.resolveRef({ repo, ref: request.params.ref ?? '' });
      const statuses = context.state.data.commitStatuses
        .filter((s) => s.repo === context.state.readRepository(repo).fullName && s.sha === sha)
        .reverse();
      return paginate(
        request,
        context,
        statuses.map((s) => renderCommitStatus(context, s)),
      );
    }),
  ];
}
