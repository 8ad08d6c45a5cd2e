/**
 * The contract between the workflow runner (test/runner) and the stand-ins for third-party actions
 * (test/runner/standins). A stand-in takes the place of one `uses:` reference the shipped templates make
 * (actions/checkout, aws-actions/configure-aws-credentials, docker/build-push-action, …): the same inputs, the
 * same outputs, the same effect on the job (exported variables, masks), done against the sandbox.
 *
 * The runner evaluates the step's `with:` and `env:` before calling; the stand-in never sees expressions.
 */

/** What the runner knows about the job a step runs in: what GitHub would put in an OIDC token, among others. */
export interface JobFacts {
  /** Path of the workflow file, relative to the repository root of the consumer (e.g. `.github/workflows/release.yml`). */
  workflowFile: string;
  jobId: string;
  /** The job's `environment:` name after evaluation; undefined when the job has none. */
  environment?: string;
  eventName: string;
  /** `refs/heads/main`, `refs/tags/v1.2.3`, `refs/pull/7/merge`. */
  ref: string;
  sha: string;
  /** `owner/name` of the consumer repository. */
  repository: string;
  repositoryId: number;
  repositoryOwner: string;
  repositoryOwnerId: number;
  actor: string;
  runId: string;
  runAttempt: string;
  /** The job's effective `permissions:` (scope → read | write | none), defaults applied. */
  permissions: Record<string, 'read' | 'write' | 'none'>;
  /** Whether the job's token may request an OIDC token (`id-token: write`). */
  canRequestIdToken: boolean;
  /**
   * How GitHub spells the repository in the OIDC `sub` claim: `name` (`repo:octo/app:…`), or `immutable`
   * (`repo:octo@OWNER_ID/app@REPO_ID:…`), the default for repositories created since mid-2026. Absent: `name`.
   * Optional, added for the configure-aws-credentials stand-in.
   */
  oidcSubjectForm?: 'name' | 'immutable';
}

export interface StandinStep {
  /** The `uses:` value exactly as written, e.g. `aws-actions/configure-aws-credentials@v4`. */
  uses: string;
  /** The evaluated `with:` inputs, by name as written. Defaults are the stand-in's to apply. */
  inputs: Record<string, string>;
  /** The step's whole environment as the runner would give a process (GITHUB_*, RUNNER_*, job and step env). */
  env: Record<string, string>;
  /** GITHUB_WORKSPACE of the job. */
  workspace: string;
  job: JobFacts;
  /** A line to the step's log (masked by the runner). */
  log(line: string): void;
  /** Masks a value in every later log line of the run, as `::add-mask::` does. */
  mask(value: string): void;
}

export interface StandinResult {
  outcome: 'success' | 'failure';
  /** Step outputs (`steps.<id>.outputs.*`). */
  outputs?: Record<string, string>;
  /** Variables exported to later steps of the job, as through GITHUB_ENV. */
  exportEnv?: Record<string, string>;
  /** Folders prepended to PATH for later steps, as through GITHUB_PATH. */
  addPath?: string[];
  /** Markdown appended to the job summary. */
  summary?: string;
  /** On failure: the one line the runner shows as the step's error annotation. */
  error?: string;
}

/** A stand-in for one third-party action. */
export type Standin = (step: StandinStep) => Promise<StandinResult>;
