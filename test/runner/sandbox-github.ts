import { createGitHubAdminClient } from '../standins/github/admin-client.js';
import type { SandboxEndpoints } from '../sandbox/endpoints.js';
import { issueJobToken } from './job-token.js';
import type { RunnerGitHub } from './runner-github.js';

async function callRest(endpoints: SandboxEndpoints, path: string, body: object): Promise<{ id?: number }> {
  // GitHub itself makes these, so the sandbox's own token and the stand-in directly (no fault injection).
  const response = await fetch(`${endpoints.github.directApiUrl}${path}`, {
    method: 'POST',
    headers: {
      authorization: `token ${endpoints.github.token}`,
      accept: 'application/vnd.github+json',
      'content-type': 'application/json',
    },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as { id?: number; message?: string };
  if (!response.ok) throw new Error(`POST ${path} answered ${response.status}: ${answer.message ?? ''}`);
  return answer;
}

/**
 * The runner's GitHub side against the sandbox's GitHub stand-in: job tokens scoped through the admin API
 * (`registerScopedToken`), and the environment Deployments GitHub makes for a job (POST
 * /repos/{o}/{r}/deployments with the environment and the run's sha, then in_progress → success/failure).
 */
export function createSandboxRunnerGitHub(endpoints: SandboxEndpoints): RunnerGitHub {
  const admin = createGitHubAdminClient(endpoints.github.adminUrl);
  return {
    issueJobToken: (input) => issueJobToken(admin, input),
    async createDeployment(input) {
      const deployment = await callRest(endpoints, `/repos/${input.repository}/deployments`, {
        ref: input.sha,
        environment: input.environment,
        auto_merge: false,
        required_contexts: [],
        description: 'Created by the workflow run for its environment',
      });
      if (typeof deployment.id !== 'number') throw new Error('the GitHub stand-in returned a deployment without id');
      return deployment.id;
    },
    async setDeploymentStatus(input) {
      await callRest(endpoints, `/repos/${input.repository}/deployments/${input.deploymentId}/statuses`, {
        state: input.state,
        ...(input.environmentUrl ? { environment_url: input.environmentUrl } : {}),
      });
    },
  };
}
