import { GitHubApiError, notFound, validationFailed } from './api-error.js';
import type { DeploymentRecord, DeploymentState, DeploymentStatusRecord, EnvironmentRecord } from './records.js';
import type { GitHubState } from './state.js';

export interface CreateDeploymentInput {
  repo: string;
  ref: string;
  task?: string;
  environment?: string;
  description?: string | null;
  payload?: Record<string, unknown> | string;
  transientEnvironment?: boolean;
  productionEnvironment?: boolean;
  creator: string;
}

export interface CreateDeploymentStatusInput {
  repo: string;
  deploymentId: number;
  state: DeploymentState;
  description?: string;
  environment?: string;
  environmentUrl?: string;
  logUrl?: string;
  targetUrl?: string;
  autoInactive?: boolean;
  creator: string;
}

const deploymentStates: readonly DeploymentState[] = [
  'error',
  'failure',
  'inactive',
  'in_progress',
  'queued',
  'pending',
  'success',
];

/** Deployments, their statuses (with auto-inactive) and environments. */
export class DeploymentStore {
  constructor(private readonly state: GitHubState) {}

  /** Creates a deployment, creating its environment as GitHub does. */
  create(input: CreateDeploymentInput): DeploymentRecord {
    const repository = this.state.readRepository(input.repo);
    if (!input.ref) throw validationFailed('Deployment', 'ref');
    const sha = this.state.resolveRef({ repo: repository.fullName, ref: input.ref });
    const environment = input.environment ?? 'production';
    this.upsertEnvironment({ repo: repository.fullName, name: environment });
    const now = this.state.timestamp();
    const deployment: DeploymentRecord = {
      repo: repository.fullName,
      id: this.state.allocateId(),
      sha,
      ref: input.ref,
      task: input.task ?? 'deploy',
      environment,
      originalEnvironment: environment,
      description: input.description ?? null,
      payload: input.payload ?? {},
      transientEnvironment: input.transientEnvironment ?? false,
      productionEnvironment: input.productionEnvironment ?? environment === 'production',
      creator: input.creator,
      createdAt: now,
      updatedAt: now,
    };
    this.state.data.deployments.push(deployment);
    return deployment;
  }

  /** Reads a deployment of the repository; 404 when missing. */
  read(input: { repo: string; id: number }): DeploymentRecord {
    const repository = this.state.readRepository(input.repo);
    const deployment = this.state.data.deployments.find(
      (d) => d.repo === repository.fullName && d.id === Number(input.id),
    );
    if (!deployment) throw notFound();
    return deployment;
  }

  /** Statuses of one deployment, newest first as GitHub lists them. */
  listStatuses(input: { repo: string; deploymentId: number }): DeploymentStatusRecord[] {
    const deployment = this.read({ repo: input.repo, id: input.deploymentId });
    return this.state.data.deploymentStatuses.filter((s) => s.deploymentId === deployment.id).reverse();
  }

  /**
   * Adds a status. With `autoInactive` (default) a `success` marks earlier successful deployments of the
   * same environment inactive, except transient or production ones, as GitHub documents.
   */
  createStatus(input: CreateDeploymentStatusInput): DeploymentStatusRecord {
    const deployment = this.read({ repo: input.repo, id: input.deploymentId });
    if (!deploymentStates.includes(input.state)) throw validationFailed('DeploymentStatus', 'state');
    if (input.environment) {
      deployment.environment = input.environment;
      this.upsertEnvironment({ repo: deployment.repo, name: input.environment });
    }
    const status = this.appendStatus(deployment, {
      state: input.state,
      description: input.description ?? '',
      environmentUrl: input.environmentUrl ?? '',
      logUrl: input.logUrl ?? input.targetUrl ?? '',
      creator: input.creator,
    });
    if (input.state === 'success' && (input.autoInactive ?? true)) {
      for (const other of this.state.data.deployments) {
        if (other === deployment || other.repo !== deployment.repo || other.environment !== deployment.environment)
          continue;
        if (other.transientEnvironment || other.productionEnvironment) continue;
        if (this.readLatestState(other) !== 'success') continue;
        this.appendStatus(other, {
          state: 'inactive',
          description: '',
          environmentUrl: '',
          logUrl: '',
          creator: input.creator,
        });
      }
    }
    return status;
  }

  private appendStatus(
    deployment: DeploymentRecord,
    fields: Pick<DeploymentStatusRecord, 'state' | 'description' | 'environmentUrl' | 'logUrl' | 'creator'>,
  ): DeploymentStatusRecord {
    const now = this.state.timestamp();
    const status: DeploymentStatusRecord = {
      repo: deployment.repo,
      id: this.state.allocateId(),
      deploymentId: deployment.id,
      environment: deployment.environment,
      createdAt: now,
      updatedAt: now,
      ...fields,
    };
    this.state.data.deploymentStatuses.push(status);
    deployment.updatedAt = now;
    return status;
  }

  /** The state of the newest status, or undefined when there is none. */
  readLatestState(deployment: DeploymentRecord): DeploymentState | undefined {
    return this.state.data.deploymentStatuses.filter((s) => s.deploymentId === deployment.id).at(-1)?.state;
  }

  /** Deletes a deployment; GitHub refuses while it is active (latest status neither inactive, error nor failure). */
  delete(input: { repo: string; id: number }): void {
    const deployment = this.read(input);
    const state = this.readLatestState(deployment);
    if (state !== undefined && !['inactive', 'error', 'failure'].includes(state)) {
      throw new GitHubApiError(
        422,
        'We cannot delete an active deployment unless it is the only deployment in a given environment.',
      );
    }
    this.state.data.deployments = this.state.data.deployments.filter((d) => d !== deployment);
    this.state.data.deploymentStatuses = this.state.data.deploymentStatuses.filter(
      (s) => s.deploymentId !== deployment.id,
    );
  }

  /** Creates or updates an environment. */
  upsertEnvironment(input: { repo: string; name: string; waitTimer?: number }): EnvironmentRecord {
    const repository = this.state.readRepository(input.repo);
    const now = this.state.timestamp();
    const existing = this.findEnvironment({ repo: repository.fullName, name: input.name });
    if (existing) {
      if (input.waitTimer !== undefined) existing.waitTimer = input.waitTimer;
      existing.updatedAt = now;
      return existing;
    }
    const environment: EnvironmentRecord = {
      repo: repository.fullName,
      id: this.state.allocateId(),
      name: input.name,
      waitTimer: input.waitTimer ?? 0,
      createdAt: now,
      updatedAt: now,
    };
    this.state.data.environments.push(environment);
    return environment;
  }

  /** Finds an environment by name (case-insensitive, as GitHub). */
  findEnvironment(input: { repo: string; name: string }): EnvironmentRecord | undefined {
    const repository = this.state.readRepository(input.repo);
    return this.state.data.environments.find(
      (e) => e.repo === repository.fullName && e.name.toLowerCase() === input.name.toLowerCase(),
    );
  }

  /** Deletes an environment together with its deployments, as GitHub does. */
  deleteEnvironment(input: { repo: string; name: string }): void {
    const environment = this.findEnvironment(input);
    if (!environment) throw notFound();
    const doomed = new Set(
      this.state.data.deployments
        .filter((d) => d.repo === environment.repo && d.environment.toLowerCase() === environment.name.toLowerCase())
        .map((d) => d.id),
    );
    this.state.data.deployments = this.state.data.deployments.filter((d) => !doomed.has(d.id));
    this.state.data.deploymentStatuses = this.state.data.deploymentStatuses.filter((s) => !doomed.has(s.deploymentId));
    this.state.data.environments = this.state.data.environments.filter((e) => e !== environment);
  }
}
