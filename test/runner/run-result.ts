/** What a step, job and run ended as, in GitHub's vocabulary. */
export type StepOutcome = 'success' | 'failure' | 'cancelled' | 'skipped';
export type JobResult = 'success' | 'failure' | 'cancelled' | 'skipped';

export interface StepRecord {
  /** The step's id (`id:` or the parser's generated one, e.g. `__run_2`). */
  id: string;
  name: string;
  /** Before continue-on-error (`steps.<id>.outcome`). */
  outcome: StepOutcome;
  /** After continue-on-error (`steps.<id>.conclusion`). */
  conclusion: StepOutcome;
  outputs: Record<string, string>;
  durationMs: number;
  /** The one line that says why it failed (or was refused, killed, timed out). */
  error?: string;
  /** For a composite action: its own steps. */
  steps?: StepRecord[];
}

export interface JobRecord {
  id: string;
  name: string;
  result: JobResult;
  outputs: Record<string, string>;
  steps: StepRecord[];
  /** The environment name after evaluation, if the job has one. */
  environment?: string;
  /** The Deployment GitHub created for the job's environment (absent with `deployment: false`). */
  deploymentId?: number;
  /** The job token's permissions. */
  permissions?: Record<string, string>;
  /** The job's GITHUB_STEP_SUMMARY, all steps'. */
  summary?: string;
  /** `continue-on-error: true` at job level: a failure does not fail the run. */
  continueOnError?: boolean;
  error?: string;
  durationMs: number;
}

export interface RunRecord {
  id: number;
  workflow: string;
  eventName: string;
  /** completed (ran to an end), cancelled (by concurrency or a cancel), not-triggered (on: does not match). */
  status: 'completed' | 'cancelled' | 'not-triggered';
  conclusion: 'success' | 'failure' | 'cancelled' | 'skipped' | null;
  /** For not-triggered: why; for a failed run before any job: the refusal or setup error. */
  reason?: string;
  error?: string;
  jobs: JobRecord[];
  /** The concurrency group the run waited in, after evaluation. */
  concurrencyGroup?: string;
  /** Every log line of the run, masked; `[job/step] line`. */
  log: string[];
}
