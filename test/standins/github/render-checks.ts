import { renderAppFor } from './render-app.js';
import type { RenderContext } from './render-context.js';
import { createNodeId } from './render-context.js';
import { renderUserByLogin } from './render-user.js';
import type { CheckRunRecord, CommitStatusRecord } from './records.js';

/** Renders a check run (`check-run`). */
export function renderCheckRun(context: RenderContext, run: CheckRunRecord): Record<string, unknown> {
  const url = `${context.apiUrl}/repos/${run.repo}/check-runs/${run.id}`;
  return {
    id: run.id,
    head_sha: run.headSha,
    node_id: createNodeId('CheckRun', run.id),
    external_id: run.externalId,
    url,
    html_url: `${context.htmlUrl}/${run.repo}/runs/${run.id}`,
    details_url: run.detailsUrl,
    status: run.status,
    conclusion: run.conclusion,
    started_at: run.startedAt,
    completed_at: run.completedAt,
    output: { ...run.output, annotations_count: 0, annotations_url: `${url}/annotations` },
    name: run.name,
    check_suite: { id: run.id + 500_000 },
    app: renderAppFor(context, run.creator),
    pull_requests: [],
  };
}

/** Renders a commit status (`status`). */
export function renderCommitStatus(context: RenderContext, status: CommitStatusRecord): Record<string, unknown> {
  const creator = renderUserByLogin(context, status.creator);
  return {
    url: `${context.apiUrl}/repos/${status.repo}/statuses/${status.sha}`,
    avatar_url: creator.avatar_url,
    id: status.id,
    node_id: createNodeId('StatusContext', status.id),
    state: status.state,
    description: status.description,
    target_url: status.targetUrl,
    context: status.context,
    created_at: status.createdAt,
    updated_at: status.updatedAt,
    creator,
  };
}
