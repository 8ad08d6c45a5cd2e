import { GitHubApiError, notFound, validationFailed } from './api-error.js';
import { shaPattern, type CheckRunRecord, type CommitStatusRecord } from './records.js';
import type { GitHubState } from './state.js';

export interface CheckRunInput {
  repo: string;
  name?: string;
  headSha?: string;
  status?: CheckRunRecord['status'];
  conclusion?: string | null;
  startedAt?: string | null;
  completedAt?: string | null;
  detailsUrl?: string | null;
  externalId?: string | null;
  output?: { title?: string | null; summary?: string | null; text?: string | null };
  creator: string;
}

/** Check runs and commit statuses. */
export class CheckStore {
  constructor(private readonly state: GitHubState) {}

  /** Creates a check run. */
  createRun(input: CheckRunInput): CheckRunRecord {
    const repository = this.state.readRepository(input.repo);
    if (!input.name) throw validationFailed('CheckRun', 'name');
    if (!input.headSha || !shaPattern.test(input.headSha)) throw validationFailed('CheckRun', 'head_sha');
    const status = input.conclusion ? 'completed' : (input.status ?? 'queued');
    const now = this.state.timestamp();
    const run: CheckRunRecord = {
      repo: repository.fullName,
      id: this.state.allocateId(),
      name: input.name,
      headSha: input.headSha,
      status,
      conclusion: input.conclusion ?? null,
      startedAt: input.startedAt ?? now,
      completedAt: status === 'completed' ? (input.completedAt ?? now) : null,
      detailsUrl: input.detailsUrl ?? null,
      externalId: input.externalId ?? null,
      output: {
        title: input.output?.title ?? null,
        summary: input.output?.summary ?? null,
        text: input.output?.text ?? null,
      },
      creator: input.creator,
    };
    this.state.data.checkRuns.push(run);
    return run;
  }

  /** Reads a check run; 404 when missing. */
  readRun(input: { repo: string; id: number }): CheckRunRecord {
    const repository = this.state.readRepository(input.repo);
    const run = this.state.data.checkRuns.find((c) => c.repo === repository.fullName && c.id === Number(input.id));
    if (!run) throw notFound();
    return run;
  }

  /** Updates a check run; a conclusion completes it. */
  updateRun(input: Omit<CheckRunInput, 'headSha' | 'creator'> & { id: number }): CheckRunRecord {
    const run = this.readRun(input);
    if (input.name !== undefined) run.name = input.name;
    if (input.detailsUrl !== undefined) run.detailsUrl = input.detailsUrl;
    if (input.externalId !== undefined) run.externalId = input.externalId;
    if (input.startedAt !== undefined) run.startedAt = input.startedAt;
    if (input.status !== undefined) run.status = input.status;
    if (input.conclusion !== undefined) {
      run.conclusion = input.conclusion;
      if (input.conclusion) run.status = 'completed';
    }
    if (input.output) run.output = { ...run.output, ...input.output };
    if (run.status === 'completed') run.completedAt = input.completedAt ?? run.completedAt ?? this.state.timestamp();
    return run;
  }

  /** Creates a commit status. */
  createStatus(input: {
    repo: string;
    sha: string;
    state: CommitStatusRecord['state'];
    targetUrl?: string | null;
    description?: string | null;
    context?: string;
    creator: string;
  }): CommitStatusRecord {
    const repository = this.state.readRepository(input.repo);
    if (!shaPattern.test(input.sha)) throw new GitHubApiError(422, `No commit found for SHA: ${input.sha}`);
    if (!['error', 'failure', 'pending', 'success'].includes(input.state)) throw validationFailed('Status', 'state');
    const now = this.state.timestamp();
    const status: CommitStatusRecord = {
      repo: repository.fullName,
      id: this.state.allocateId(),
      sha: input.sha,
      state: input.state,
      targetUrl: input.targetUrl ?? null,
      description: input.description ?? null,
      context: input.context ?? 'default',
      creator: input.creator,
      createdAt: now,
      updatedAt: now,
    };
    this.state.data.commitStatuses.push(status);
    return status;
  }
}
