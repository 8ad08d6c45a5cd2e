import { renderAppFor } from './render-app.js';
import type { RenderContext } from './render-context.js';
import { createNodeId } from './render-context.js';
import { renderUserByLogin } from './render-user.js';
import type { DeploymentRecord, DeploymentStatusRecord, EnvironmentRecord } from './records.js';

/** Renders a deployment (`deployment`). */
export function renderDeployment(context: RenderContext, deployment: DeploymentRecord): Record<string, unknown> {
  const api = `${context.apiUrl}/repos/${deployment.repo}`;
  return {
    url: `${api}/deployments/${deployment.id}`,
    id: deployment.id,
    node_id: createNodeId('Deployment', deployment.id),
    sha: deployment.sha,
    ref: deployment.ref,
    task: deployment.task,
    payload: deployment.payload,
    original_environment: deployment.originalEnvironment,
    environment: deployment.environment,
    description: deployment.description,
    creator: renderUserByLogin(context, deployment.creator),
    created_at: deployment.createdAt,
    updated_at: deployment.updatedAt,
    statuses_url: `${api}/deployments/${deployment.id}/statuses`,
    repository_url: api,
    transient_environment: deployment.transientEnvironment,
    production_environment: deployment.productionEnvironment,
    performed_via_github_app: renderAppFor(context, deployment.creator),
  };
}

/** Renders a deployment status (`deployment-status`). Unset URLs are empty strings, as GitHub sends them. */
export function renderDeploymentStatus(
  context: RenderContext,
  status: DeploymentStatusRecord,
): Record<string, unknown> {
  const api = `${context.apiUrl}/repos/${status.repo}`;
  return {
    url: `${api}/deployments/${status.deploymentId}/statuses/${status.id}`,
    id: status.id,
    node_id: createNodeId('DeploymentStatus', status.id),
    state: status.state,
    creator: renderUserByLogin(context, status.creator),
    description: status.description,
    environment: status.environment,
    target_url: status.logUrl,
    log_url: status.logUrl,
    environment_url: status.environmentUrl,
    created_at: status.createdAt,
    updated_at: status.updatedAt,
    deployment_url: `${api}/deployments/${status.deploymentId}`,
    repository_url: api,
    performed_via_github_app: renderAppFor(context, status.creator),
  };
}

/** Renders an environment (`environment`). */
export function renderEnvironment(context: RenderContext, environment: EnvironmentRecord): Record<string, unknown> {
  const rules =
    environment.waitTimer > 0
      ? [
          {
            id: environment.id + 1,
            node_id: createNodeId('ProtectionRule', environment.id),
            type: 'wait_timer',
            wait_timer: environment.waitTimer,
          },
        ]
      : [];
  return {
    id: environment.id,
    node_id: createNodeId('Environment', environment.id),
    name: environment.name,
    url: `${context.apiUrl}/repos/${environment.repo}/environments/${encodeURIComponent(environment.name)}`,
    html_url: `${context.htmlUrl}/${environment.repo}/deployments/activity_log?environments_filter=${encodeURIComponent(environment.name)}`,
    created_at: environment.createdAt,
    updated_at: environment.updatedAt,
    protection_rules: rules,
    deployment_branch_policy: null,
  };
}
