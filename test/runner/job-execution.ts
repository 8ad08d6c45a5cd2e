import type { JobFacts } from './standin-api.js';
import type { LogMasker } from './log-masker.js';
import type { Standin } from './standin-api.js';

/** The world-wide settings a job runs with (see createWorld). */
export interface RunnerSettings {
  secrets: Record<string, string>;
  /** Repository variables, and per environment name the environment's own (which win inside that job). */
  vars: Record<string, string>;
  environmentVars: Record<string, Record<string, string>>;
  environmentSecrets: Record<string, Record<string, string>>;
  /** The runner machine's environment (a self-hosted runner's env): sandbox endpoints, AWS_REGION, … */
  runnerEnv: Record<string, string>;
  /** Machines by `runs-on` label (see WorldOptions.machines): a job with that label runs on that one. */
  machines: Record<string, RunnerMachine>;
  standins: Record<string, Standin>;
  /** The node binary for node actions (Node 24) and on PATH for run steps. */
  node: string;
  /** SIGINT → this long → SIGTERM → a third of it → SIGKILL, when a step is cancelled or times out. */
  killGraceMs: number;
  /** The OIDC subject form of the repository's id tokens; absent: `name`. */
  oidcSubjectForm?: 'name' | 'immutable';
  /** Where coverage lines go (a folder), or undefined. */
  coverageDir?: string;
}

/**
 * A runner machine a `runs-on` label selects: what it has installed (folders first on its PATH) and its own
 * environment over the runner's (e.g. the self-hosted dev host's Docker Compose stand-in and its docker login).
 */
export interface RunnerMachine {
  path?: string[];
  env?: Record<string, string>;
}

/** One job while it runs: its files, exported variables, token, log and cancellation. */
export interface JobExecution {
  settings: RunnerSettings;
  /** Path of the workflow relative to the repository root. */
  file: string;
  jobId: string;
  facts: JobFacts;
  token: string;
  /** The `github` context for this job (token, job, action_path are filled per step). */
  github: Record<string, unknown>;
  contexts: {
    vars: Record<string, string>;
    secrets: Record<string, string>;
    inputs: Record<string, unknown>;
    needs: Record<string, unknown>;
  };
  /** Workflow env then job env, evaluated. */
  env: Record<string, string>;
  /** Variables exported through GITHUB_ENV (or a stand-in's exportEnv), for later steps. */
  exported: Record<string, string>;
  /** Folders prepended to PATH through GITHUB_PATH, newest first. */
  paths: string[];
  summary: string[];
  defaults: { shell?: string; workingDirectory?: string };
  workspace: string;
  runnerTemp: string;
  eventPath: string;
  /** The environment of the machine the job runs on: runnerEnv, then its `runs-on` machine's env and PATH. */
  machineEnv: Record<string, string>;
  masker: LogMasker;
  log(prefix: string, line: string): void;
  /** Set when the run is cancelled (and the job's if did not keep it) or the job timed out. */
  cancelled: boolean;
  timedOut: boolean;
  /** The step running now; aborting it stops its process (cancellation, job timeout). */
  currentStep?: AbortController;
  /**
   * The post steps the job's node actions registered when their main step ran, in the order they ran; the job
   * runs them after its last main step, newest first.
   */
  postSteps: PostStep[];
  /** Resolves when a step with this label starts (for scenarios that act mid-run). */
  onStepStart(label: string): void;
}

/** A node action's `post:` entry point, registered when its main step ran, with what it runs with. */
export interface PostStep {
  /** `Post <main step's label>`, as GitHub shows it. */
  label: string;
  /** The main step's id, for the record (`post-<id>`). */
  stepId: string;
  /** `runs.post-if` of action.yml (a plain expression); GitHub's default is `always()`. */
  condition: string;
  /** The main step's `STATE_<name>` values, saved through GITHUB_STATE. */
  state: Record<string, string>;
  /** Runs the post entry point (same inputs and env as the main step, plus the state). */
  run(signal: AbortSignal): Promise<{ outcome: 'success' | 'failure'; error?: string }>;
}
