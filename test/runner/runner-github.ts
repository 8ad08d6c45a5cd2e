import type { Permissions } from './permissions.js';

export type DeploymentState = 'in_progress' | 'success' | 'failure';

/** What the runner itself asks of GitHub (not what the actions call): job tokens and environment deployments. */
export interface RunnerGitHub {
  /** A GITHUB_TOKEN for one job, limited to `permissions`. */
  issueJobToken(input: { repository: string; runId: string; jobId: string; permissions: Permissions }): Promise<string>;
  /** The Deployment GitHub creates for a job that runs in an environment; returns its id. */
  createDeployment(input: { repository: string; environment: string; ref: string; sha: string }): Promise<number>;
  setDeploymentStatus(input: {
    repository: string;
    deploymentId: number;
    state: DeploymentState;
    environmentUrl?: string;
  }): Promise<void>;
}
