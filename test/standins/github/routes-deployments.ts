import { notAccessibleByIntegration, notFound, validationFailed } from './api-error.js';
import { paginate } from './paginate.js';
import { renderDeployment, renderDeploymentStatus, renderEnvironment } from './render-deployment.js';
import { defineRoute, readRepoName, type Route } from './router.js';
import type { DeploymentState } from './records.js';

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function optionalBoolean(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

/** Deployments, their statuses, and environments. */
export function createDeploymentRoutes(): Route[] {
  return [
    defineRoute('POST', '/repos/{owner}/{repo}/deployments', (request, context) => {
      const { body } = request;
      if (typeof body.ref !== 'string') throw validationFailed('Deployment', 'ref');
      const payload = body.payload;
      const deployment = context.state.deployments.create({
        repo: readRepoName(request),
        ref: body.ref,
        creator: request.user.login,
        ...(optionalString(body.task) !== undefined ? { task: body.task as string } : {}),
        ...(optionalString(body.environment) !== undefined ? { environment: body.environment as string } : {}),
        ...(body.description !== undefined ? { description: body.description as string | null } : {}),
        ...(payload !== undefined ? { payload: payload as Record<string, unknown> | string } : {}),
        ...(optionalBoolean(body.transient_environment) !== undefined
          ? { transientEnvironment: body.transient_environment as boolean }
          : {}),
        ...(optionalBoolean(body.production_environment) !== undefined
          ? { productionEnvironment: body.production_environment as boolean }
          : {}),
      });
      return { status: 201, body: renderDeployment(context, deployment) };
    }),
    defineRoute('GET', '/repos/{owner}/{repo}/deployments', (request, context) => {
      const repository = context.state.readRepository(readRepoName(request));
      const filters: [
        string,
        (value: string, d: { sha: string; ref: string; task: string; environment: string }) => boolean,
      ][] = [
        ['sha', (v, d) => d.sha === v],
        ['ref', (v, d) => d.ref === v],
        ['task', (v, d) => d.task === v],
        ['environment', (v, d) => d.environment.toLowerCase() === v.toLowerCase()],
      ];
      const deployments = context.state.data.deployments
        .filter((d) => d.repo === repository.fullName)
        .filter((d) =>
          filters.every(([name, test]) => {
            const value = request.query.get(name);
            return value === null || value === '' || test(value, d);
          }),
        )
        .reverse();
      return paginate(
        request,
        context,
        deployments.map((d) => renderDeployment(context, d)),
      );
    }),
    defineRoute('GET', '/repos/{owner}/{repo}/deployments/{deployment_id}', (request, context) => {
      const deployment = context.state.deployments.read({
        repo: readRepoName(request),
        id: Number(request.params.deployment_id),
      });
      return { status: 200, body: renderDeployment(context, deployment) };
    }),
    defineRoute('DELETE', '/repos/{owner}/{repo}/deployments/{deployment_id}', (request, context) => {
      context.state.deployments.delete({ repo: readRepoName(request), id: Number(request.params.deployment_id) });
      return { status: 204 };
    }),
    defineRoute('GET', '/repos/{owner}/{repo}/deployments/{deployment_id}/statuses', (request, context) => {
      const statuses = context.state.deployments.listStatuses({
        repo: readRepoName(request),
        deploymentId: Number(request.params.deployment_id),
      });
      return paginate(
        request,
        context,
        statuses.map((s) => renderDeploymentStatus(context, s)),
      );
    }),
    defineRoute('GET', '/repos/{owner}/{repo}/deployments/{deployment_id}/statuses/{status_id}', (request, context) => {
      const statuses = context.state.deployments.listStatuses({
        repo: readRepoName(request),
        deploymentId: Number(request.params.deployment_id),
      });
      const status = statuses.find((s) => s.id === Number(request.params.status_id));
      if (!status) throw notFound();
      return { status: 200, body: renderDeploymentStatus(context, status) };
    }),
    defineRoute('POST', '/repos/{owner}/{repo}/deployments/{deployment_id}/statuses', (request, context) => {
      const { body } = request;
      const status = context.state.deployments.createStatus({
        repo: readRepoName(request),
        deploymentId: Number(request.params.deployment_id),
        state: body.state as DeploymentState,
        creator: request.user.login,
        ...(optionalString(body.description) !== undefined ? { description: body.description as string } : {}),
        ...(optionalString(body.environment) !== undefined ? { environment: body.environment as string } : {}),
        ...(optionalString(body.environment_url) !== undefined
          ? { environmentUrl: body.environment_url as string }
          : {}),
        ...(optionalString(body.log_url) !== undefined ? { logUrl: body.log_url as string } : {}),
        ...(optionalString(body.target_url) !== undefined ? { targetUrl: body.target_url as string } : {}),
        ...(optionalBoolean(body.auto_inactive) !== undefined ? { autoInactive: body.auto_inactive as boolean } : {}),
      });
      return { status: 201, body: renderDeploymentStatus(context, status) };
    }),
    defineRoute('GET', '/repos/{owner}/{repo}/environments', (request, context) => {
      const repository = context.state.readRepository(readRepoName(request));
      const environments = context.state.data.environments.filter((e) => e.repo === repository.fullName);
      return {
        status: 200,
        body: {
          total_count: environments.length,
          environments: environments.map((e) => renderEnvironment(context, e)),
        },
      };
    }),
    defineRoute('GET', '/repos/{owner}/{repo}/environments/{environment_name}', (request, context) => {
      const environment = context.state.deployments.findEnvironment({
        repo: readRepoName(request),
        name: request.params.environment_name ?? '',
      });
      if (!environment) throw notFound();
      return { status: 200, body: renderEnvironment(context, environment) };
    }),
    defineRoute('PUT', '/repos/{owner}/{repo}/environments/{environment_name}', (request, context) => {
      if (request.workflowToken) throw notAccessibleByIntegration();
      const waitTimer = request.body.wait_timer;
      if (waitTimer !== undefined && (typeof waitTimer !== 'number' || waitTimer < 0 || waitTimer > 43200))
        throw validationFailed('Environment', 'wait_timer');
      const environment = context.state.deployments.upsertEnvironment({
        repo: readRepoName(request),
        name: request.params.environment_name ?? '',
        ...(typeof waitTimer === 'number' ? { waitTimer } : {}),
      });
      return { status: 200, body: renderEnvironment(context, environment) };
    }),
    defineRoute('DELETE', '/repos/{owner}/{repo}/environments/{environment_name}', (request, context) => {
      if (request.workflowToken) throw notAccessibleByIntegration();
      context.state.deployments.deleteEnvironment({
        repo: readRepoName(request),
        name: request.params.environment_name ?? '',
      });
      return { status: 204 };
    }),
  ];
}
