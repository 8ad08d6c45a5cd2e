import type { ConcurrencyGroups } from './concurrency-groups.js';
import type { EventRef, QueuedEvent } from './event-trigger.js';
import type { JobExecution, RunnerSettings } from './job-execution.js';
import type { LoadedWorkflow } from './load-workflow.js';
import type { LogMasker } from './log-masker.js';
import type { RunnerGitHub } from './runner-github.js';

/** A reviewer's decision per environment name; an environment without one has no protection rules. */
export type EnvironmentDecisions = Record<string, 'approve' | 'reject'>;

/** The repository the workflow runs in (the consumer's). */
export interface RepositoryFacts {
  owner: string;
  name: string;
  id: number;
  ownerId: number;
  defaultBranch: string;
  /** The default branch's head, for events whose payload names no commit. */
  sha: string;
}

/** One workflow run while it is being executed. */
export interface RunState {
  id: number;
  workflow: LoadedWorkflow;
  event: QueuedEvent;
  eventRef: EventRef;
  settings: RunnerSettings;
  repository: RepositoryFacts;
  actor: string;
  github: RunnerGitHub;
  environments: EnvironmentDecisions;
  groups: ConcurrencyGroups;
  /** The `github` context shared by every job (token and job filled per job). */
  githubContext: Record<string, unknown>;
  inputs: Record<string, unknown>;
  cancelled: boolean;
  masker: LogMasker;
  log: string[];
  /** Jobs running now, by id; a cancellation re-evaluates their if. */
  running: Map<string, { execution?: JobExecution; cancel(): void }>;
  /** Takes the run out of its workflow concurrency group while it is pending there. */
  withdraw?: () => void;
  /** Labels `<job>/<step name>` of steps that have started. */
  startedSteps: Set<string>;
  stepWaiters: { label: string; resolve: () => void }[];
  onLog?: (line: string) => void;
  /** Where GITHUB_WORKSPACE and RUNNER_TEMP of each job go. */
  workRoot: string;
}
