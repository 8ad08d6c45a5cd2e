import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { isBasicExpression, isBoolean } from '@actions/workflow-parser';
import { isActionStep, isRunStep } from '@actions/workflow-parser/model/type-guards';
import type { Step } from '@actions/workflow-parser/model/workflow-template';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';
import { runActionBundle, type RunActionOptions } from '../harness/run-action.js';
import { readActionTemplate } from '../harness/action-template.js';
import { parseFileCommands, parseWorkflowCommands } from '../harness/workflow-commands.js';
import { repoRoot } from '../harness/paths.js';
import { truthy } from '@actions/expressions/result';
import {
  evaluateCondition,
  evaluateExpression,
  evaluateString,
  evaluateStringMap,
  evaluateToken,
  UnsupportedConstructError,
  type StatusScope,
} from './expressions.js';
import type { JobExecution } from './job-execution.js';
import { readKey } from './load-workflow.js';
import { recordCoverage } from './coverage.js';
import { resolveUses, type ResolvedUses } from './resolve-uses.js';
import { runShell } from './run-shell.js';
import type { StepOutcome, StepRecord } from './run-result.js';

/** The steps of a job, or of a composite action, with what their expressions see. */
export interface StepFrame {
  /** The file the steps are written in (workflow or action.yml), relative to the repository root. */
  file: string;
  /** Coverage id prefix: `<jobId>/` for a job's steps, `` for a composite's. */
  coveragePrefix: string;
  steps: Step[];
  /** The raw step tokens, for keys the converted model lacks (shell, working-directory, with, timeout-minutes). */
  rawSteps: TemplateToken[];
  /** The composite's inputs context; absent for a job. */
  inputs?: Record<string, string>;
  /** GITHUB_ACTION_PATH inside a composite. */
  actionPath?: string;
  /** For a composite's steps: the calling step's label, so their log lines read `job/caller > step`. */
  parentLabel?: string;
  /** The env context the frame starts from (workflow+job env for a job; the calling step's env for a composite). */
  baseEnv: Record<string, string>;
  /** Whether an earlier step of the frame failed (failure()). */
  failed: boolean;
  stepsContext: Record<string, { outputs: Record<string, string>; outcome: StepOutcome; conclusion: StepOutcome }>;
}

type StepResult = Pick<StepRecord, 'outputs' | 'error' | 'steps'> & { outcome: 'success' | 'failure' };

/** Runs the frame's steps in order, as the runner does; returns their records and updates `frame.failed`. */
export async function runSteps(job: JobExecution, frame: StepFrame): Promise<StepRecord[]> {
  const records: StepRecord[] = [];
  for (let index = 0; index < frame.steps.length; index++) {
    records.push(await runOneStep(job, frame, frame.steps[index]!, frame.rawSteps[index]!, index));
  }
  return records;
}

function createContexts(job: JobExecution, frame: StepFrame, env: Record<string, string>, actionPath?: string) {
  return {
    github: { ...job.github, action_path: actionPath ?? frame.actionPath ?? '' },
    env,
    vars: job.contexts.vars,
    secrets: job.contexts.secrets,
    inputs: frame.inputs ?? job.contexts.inputs,
    needs: job.contexts.needs,
    steps: frame.stepsContext,
    job: {
      status: frame.failed ? 'failure' : job.cancelled || job.timedOut ? 'cancelled' : 'success',
      container: {},
      services: {},
    },
    runner: {
      os: 'Linux',
      arch: 'X64',
      name: 'preview-actions-test-runner',
      temp: job.runnerTemp,
      tool_cache: join(job.runnerTemp, 'tool-cache'),
      environment: 'self-hosted',
      debug: '',
    },
    strategy: {},
    matrix: null,
  };
}

function describeStep(step: Step, name: string | undefined): string {
  if (name) return name;
  if (isActionStep(step)) return `Run ${step.uses.value}`;
  if (isRunStep(step)) {
    const text = isBasicExpression(step.run) ? (step.run.source ?? step.run.toString()) : step.run.toString();
    return `Run ${text.trim().split('\n')[0]}`;
  }
  return step.id;
}

function readMinutes(token: TemplateToken | undefined, scope: Parameters<typeof evaluateToken>[1]): number | undefined {
  if (!token) return undefined;
  const value = Number(evaluateToken(token, scope));
  if (!Number.isFinite(value) || value <= 0) throw new UnsupportedConstructError(`timeout-minutes must be > 0`);
  return value;
}

async function runOneStep(
  job: JobExecution,
  frame: StepFrame,
  step: Step,
  raw: TemplateToken,
  index: number,
): Promise<StepRecord> {
  const started = performance.now();
  const where = `${frame.file}: job '${job.jobId}' step ${index + 1} (${step.id})`;
  const env: Record<string, string> = { ...frame.baseEnv, ...job.exported };
  const cancelled = job.cancelled || job.timedOut;
  const status: StatusScope = { success: !frame.failed, failure: frame.failed, cancelled };
  const scope = { contexts: createContexts(job, frame, env), status };
  const name = step.name ? evaluateString(step.name, { contexts: scope.contexts }) : undefined;
  const label = describeStep(step, name);
  const prefix = `${job.jobId}/${frame.parentLabel ? `${frame.parentLabel} > ` : ''}${label}`;
  const finish = (outcome: StepOutcome, conclusion: StepOutcome, result?: Partial<StepResult>): StepRecord => {
    const record: StepRecord = {
      id: step.id,
      name: label,
      outcome,
      conclusion,
      outputs: result?.outputs ?? {},
      durationMs: performance.now() - started,
      ...(result?.error ? { error: job.masker.mask(result.error) } : {}),
      ...(result?.steps ? { steps: result.steps } : {}),
    };
    frame.stepsContext[step.id] = { outputs: record.outputs, outcome, conclusion };
    if (conclusion === 'failure') frame.failed = true;
    if (outcome !== 'skipped') recordCoverage(job.settings.coverageDir, frame.file, `${frame.coveragePrefix}${index}`);
    job.log(prefix, `${outcome === conclusion ? outcome : `${outcome} (continue-on-error: ${conclusion})`}`);
    return record;
  };

  let continueOnError: boolean;
  let timeoutMinutes: number | undefined;
  try {
    if (!evaluateCondition(step.if, scope)) return finish('skipped', 'skipped');
    Object.assign(env, evaluateStringMap(readKey(raw, 'env'), { contexts: scope.contexts }));
    const continueToken = readKey(raw, 'continue-on-error');
    continueOnError = continueToken
      ? isBoolean(continueToken)
        ? continueToken.value
        : String(evaluateToken(continueToken, { contexts: scope.contexts })) === 'true'
      : false;
    timeoutMinutes = readMinutes(readKey(raw, 'timeout-minutes'), { contexts: scope.contexts });
  } catch (error) {
    const message = `${where}: ${(error as Error).message}`;
    job.log(prefix, `::error::${message}`);
    return finish('failure', 'failure', { error: message });
  }

  const stepAbort = new AbortController();
  const enclosing = job.currentStep; // a composite's own step, while its inner steps run
  job.currentStep = stepAbort;
  let timedOut = false;
  const timer =
    timeoutMinutes === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          stepAbort.abort('timeout');
        }, timeoutMinutes * 60_000);
  job.log(prefix, `start`);
  job.onStepStart(label);
  let result: StepResult;
  try {
    result = await executeStep({
      job,
      frame,
      step,
      raw,
      env,
      contexts: scope.contexts,
      signal: stepAbort.signal,
      prefix,
      where,
    });
  } catch (error) {
    result = { outcome: 'failure', outputs: {}, error: (error as Error).message };
    if (error instanceof UnsupportedConstructError) result.error = `${where}: ${(error as Error).message}`;
  } finally {
    clearTimeout(timer);
    job.currentStep = enclosing;
  }
  if (result.error) job.log(prefix, `::error::${result.error}`);
  if (timedOut) {
    job.log(prefix, `::error::The step exceeded its timeout-minutes (${timeoutMinutes}) and was stopped`);
    result = { ...result, outcome: 'failure', error: `timed out after ${timeoutMinutes} minutes` };
  } else if (stepAbort.signal.aborted || (!cancelled && (job.cancelled || job.timedOut))) {
    // Stopped by the run's cancellation or the job's timeout (for a composite: while one of its steps ran, or
    // between them): GitHub shows the step as cancelled.
    return finish('cancelled', 'cancelled', result);
  }
  const outcome = result.outcome;
  return finish(outcome, outcome === 'failure' && continueOnError ? 'success' : outcome, result);
}

/** The GITHUB_* variables the runner sets from the `github` context (`GITHUB_REF` from `github.ref`, …). */
const GITHUB_VARIABLES: Record<string, string> = {
  GITHUB_ACTOR: 'actor',
  GITHUB_ACTOR_ID: 'actor_id',
  GITHUB_API_URL: 'api_url',
  GITHUB_BASE_REF: 'base_ref',
  GITHUB_EVENT_NAME: 'event_name',
  GITHUB_GRAPHQL_URL: 'graphql_url',
  GITHUB_HEAD_REF: 'head_ref',
  GITHUB_REF: 'ref',
  GITHUB_REF_NAME: 'ref_name',
  GITHUB_REF_TYPE: 'ref_type',
  GITHUB_REPOSITORY: 'repository',
  GITHUB_REPOSITORY_ID: 'repository_id',
  GITHUB_REPOSITORY_OWNER: 'repository_owner',
  GITHUB_REPOSITORY_OWNER_ID: 'repository_owner_id',
  GITHUB_RUN_ATTEMPT: 'run_attempt',
  GITHUB_RUN_ID: 'run_id',
  GITHUB_RUN_NUMBER: 'run_number',
  GITHUB_SERVER_URL: 'server_url',
  GITHUB_SHA: 'sha',
  GITHUB_TRIGGERING_ACTOR: 'triggering_actor',
  GITHUB_WORKFLOW: 'workflow',
  GITHUB_WORKFLOW_REF: 'workflow_ref',
};

/** The environment a step's process gets: the runner machine's, GITHUB_* / RUNNER_*, then the env context. */
function createProcessEnv(job: JobExecution, env: Record<string, string>, stepId: string, actionPath?: string) {
  const basePath = job.machineEnv.PATH!;
  const nodeDir = resolve(job.settings.node, '..');
  const github = job.github as Record<string, string>;
  return {
    HOME: process.env.HOME ?? job.runnerTemp,
    ...job.machineEnv,
    ...env,
    PATH: [...job.paths, nodeDir, env.PATH ?? basePath].join(':'),
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    ...Object.fromEntries(Object.entries(GITHUB_VARIABLES).map(([variable, key]) => [variable, github[key] ?? ''])),
    GITHUB_ACTION: stepId,
    ...(actionPath ? { GITHUB_ACTION_PATH: actionPath } : {}),
    GITHUB_EVENT_PATH: job.eventPath,
    GITHUB_JOB: job.jobId,
    GITHUB_RETENTION_DAYS: '90',
    GITHUB_WORKSPACE: job.workspace,
    RUNNER_ARCH: 'X64',
    RUNNER_ENVIRONMENT: 'self-hosted',
    RUNNER_NAME: 'preview-actions-test-runner',
    RUNNER_OS: 'Linux',
    RUNNER_TEMP: job.runnerTemp,
    RUNNER_TOOL_CACHE: join(job.runnerTemp, 'tool-cache'),
  } as Record<string, string>;
}

/** GitHub refuses GITHUB_* and RUNNER_* (and NODE_OPTIONS) through GITHUB_ENV; the runner logs it. */
function applyExports(job: JobExecution, prefix: string, exported: Record<string, string>): void {
  for (const [key, value] of Object.entries(exported)) {
    if (/^(GITHUB_|RUNNER_)/.test(key) || key === 'NODE_OPTIONS') {
      job.log(prefix, `::warning::Can't store ${key} output parameter using '$GITHUB_ENV' command.`);
      continue;
    }
    job.exported[key] = value;
  }
}

function applyCommands(job: JobExecution, prefix: string, stdout: string): string | undefined {
  const commands = parseWorkflowCommands(stdout);
  for (const command of commands) if (command.command === 'add-mask') job.masker.add(command.message);
  // The runner shows ::debug:: lines only with step debug logging, which these runs never enable.
  for (const line of stdout.split('\n')) {
    if (line !== '' && !line.startsWith('::add-mask::') && !line.startsWith('::debug::')) job.log(prefix, line);
  }
  return commands.find((c) => c.command === 'error')?.message;
}

/** One step about to run: where it is, what its expressions see, and how it is stopped. */
interface StepCall {
  job: JobExecution;
  frame: StepFrame;
  step: Step;
  raw: TemplateToken;
  env: Record<string, string>;
  contexts: ReturnType<typeof createContexts>;
  signal: AbortSignal;
  prefix: string;
  where: string;
}

async function executeStep(call: StepCall): Promise<StepResult> {
  const { job, frame, step, raw, env, contexts, signal, prefix, where } = call;
  if (isRunStep(step)) return executeRunStep(call, step);
  if (!isActionStep(step)) throw new UnsupportedConstructError(`this kind of step is not supported by the test runner`);
  const uses = resolveUses(step.uses.value, where, job.settings.standins);
  const inputs = evaluateStringMap(readKey(raw, 'with'), { contexts });
  if (uses.kind === 'standin') return executeStandin(job, uses, step, inputs, env, prefix);
  const actionPath = uses.actionPath;
  const action = readActionTemplate(join(actionPath, 'action.yml'));
  if (action.template.runs.using === 'composite') {
    return executeComposite(job, frame, step, action, inputs, env, contexts, prefix);
  }
  if (!existsSync(job.settings.node)) {
    throw new Error(
      `Node 24 is missing at ${relative(repoRoot, job.settings.node)} (run pnpm install in test/); node actions run on it`,
    );
  }
  const processEnv = createProcessEnv(job, env, step.id, actionPath);
  for (const file of ['GITHUB_OUTPUT', 'GITHUB_ENV', 'GITHUB_PATH', 'GITHUB_STATE', 'GITHUB_STEP_SUMMARY'])
    delete processEnv[file];
  const bundle: RunActionOptions = {
    action: uses.name,
    actionDir: actionPath,
    inputs,
    unexpectedInputs: 'pass',
    event: { name: String(job.github.event_name), payload: job.github.event as object },
    env: processEnv,
    repository: String(job.github.repository),
    sha: String(job.github.sha),
    ref: String(job.github.ref),
    actor: String(job.github.actor),
    token: job.token,
    workspace: job.workspace,
    node: job.settings.node,
    contexts: { ...contexts, github: { ...contexts.github, action_path: actionPath } },
    killGraceMs: job.settings.killGraceMs,
    timeoutMs: 6 * 60 * 60_000,
  };
  const run = await runActionBundle({ ...bundle, signal });
  const runs = action.template.runs as { post?: string; postIf?: string };
  if (runs.post) {
    // GitHub registers the post step once the main step has run, whatever its outcome; it gets the same
    // inputs and the state the main step saved (STATE_<name>).
    const post = runs.post;
    const state = { ...run.state };
    const label = `Post ${prefix.slice(prefix.indexOf('/') + 1)}`;
    job.postSteps.push({
      label,
      stepId: step.id,
      condition: runs.postIf ?? 'always()',
      state,
      run: async (postSignal) => {
        const stateEnv = Object.fromEntries(Object.entries(state).map(([k, v]) => [`STATE_${k}`, v]));
        const postRun = await runActionBundle({
          ...bundle,
          entry: post,
          env: { ...processEnv, ...stateEnv },
          signal: postSignal,
        });
        const postPrefix = `${job.jobId}/${label}`;
        for (const mask of postRun.masks) job.masker.add(mask);
        const postError = applyCommands(job, postPrefix, postRun.stdout);
        for (const line of postRun.stderr.split('\n')) if (line !== '') job.log(postPrefix, line);
        if (postRun.summary) job.summary.push(postRun.summary);
        return postRun.exitCode === 0
          ? { outcome: 'success' }
          : { outcome: 'failure', error: postError ?? `${post} exited with ${postRun.exitCode ?? postRun.signal}` };
      },
    });
  }
  for (const name of run.unexpectedInputs ?? [])
    job.log(prefix, `::warning::Unexpected input(s) '${name}', valid inputs are declared in ${uses.name}/action.yml`);
  for (const mask of run.masks) job.masker.add(mask);
  const error = applyCommands(job, prefix, run.stdout);
  for (const line of run.stderr.split('\n')) if (line !== '') job.log(prefix, line);
  applyExports(job, prefix, run.exported);
  job.paths.unshift(...[...(run.addedPaths ?? [])].reverse());
  if (run.summary) job.summary.push(run.summary);
  const outcome = run.exitCode === 0 ? 'success' : 'failure';
  return {
    outcome,
    outputs: run.outputs,
    ...(outcome === 'failure' ? { error: error ?? `${uses.name} exited with ${run.exitCode ?? run.signal}` } : {}),
  };
}

async function executeRunStep(call: StepCall, step: Extract<Step, { run: unknown }>): Promise<StepResult> {
  const { job, frame, raw, env, contexts, signal, prefix, where } = call;
  const script = evaluateString(step.run, { contexts });
  // defaults.run applies to a job's run steps, never to a composite's (which must name its shell).
  const readSetting = (key: 'shell' | 'working-directory', fallback: string | undefined) => {
    const token = readKey(raw, key);
    return token ? evaluateString(token, { contexts }) : frame.actionPath ? undefined : fallback;
  };
  const shell = readSetting('shell', job.defaults.shell);
  if (frame.actionPath && !shell) throw new UnsupportedConstructError(`a composite run step needs 'shell:'`);
  const dir = readSetting('working-directory', job.defaults.workingDirectory);
  const cwd = dir ? resolve(job.workspace, dir) : job.workspace;
  if (!existsSync(cwd)) throw new Error(`working-directory ${dir} does not exist in the workspace`);
  const files = createStepFiles(job);
  const processEnv = {
    ...createProcessEnv(job, env, step.id, frame.actionPath),
    GITHUB_OUTPUT: files.output,
    GITHUB_ENV: files.env,
    GITHUB_PATH: files.path,
    GITHUB_STATE: files.state,
    GITHUB_STEP_SUMMARY: files.summary,
  };
  const result = await runShell({
    script,
    shell,
    cwd,
    env: processEnv,
    scriptDir: job.runnerTemp,
    signal,
    killGraceMs: job.settings.killGraceMs,
    where,
  });
  const error = applyCommands(job, prefix, result.stdout);
  for (const line of result.stderr.split('\n')) if (line !== '') job.log(prefix, line);
  const outputs = parseFileCommands(readFileSync(files.output, 'utf8'));
  applyExports(job, prefix, parseFileCommands(readFileSync(files.env, 'utf8')));
  const added = readFileSync(files.path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');
  job.paths.unshift(...added.reverse());
  const summary = readFileSync(files.summary, 'utf8');
  if (summary) job.summary.push(summary);
  if (result.exitCode === 0) return { outcome: 'success', outputs };
  return {
    outcome: 'failure',
    outputs,
    error: error ?? `Process completed with exit code ${result.exitCode ?? result.signal}.`,
  };
}

function createStepFiles(job: JobExecution) {
  const dir = join(job.runnerTemp, '_runner_file_commands', randomUUID());
  mkdirSync(dir, { recursive: true });
  const files = {
    output: join(dir, 'output'),
    env: join(dir, 'env'),
    path: join(dir, 'path'),
    state: join(dir, 'state'),
    summary: join(dir, 'summary'),
  };
  for (const file of Object.values(files)) writeFileSync(file, '');
  return files;
}

async function executeStandin(
  job: JobExecution,
  uses: Extract<ResolvedUses, { kind: 'standin' }>,
  step: Step,
  inputs: Record<string, string>,
  env: Record<string, string>,
  prefix: string,
): Promise<StepResult> {
  const result = await uses.standin({
    uses: uses.uses,
    inputs,
    env: createProcessEnv(job, env, step.id),
    workspace: job.workspace,
    job: job.facts,
    log: (line) => job.log(prefix, line),
    mask: (value) => job.masker.add(value),
  });
  applyExports(job, prefix, result.exportEnv ?? {});
  job.paths.unshift(...[...(result.addPath ?? [])].reverse());
  if (result.summary) job.summary.push(result.summary);
  return {
    outcome: result.outcome,
    outputs: result.outputs ?? {},
    ...(result.outcome === 'failure' ? { error: result.error ?? `${uses.uses} failed` } : {}),
  };
}

async function executeComposite(
  job: JobExecution,
  frame: StepFrame,
  step: Step,
  action: ReturnType<typeof readActionTemplate>,
  given: Record<string, string>,
  env: Record<string, string>,
  contexts: ReturnType<typeof createContexts>,
  prefix: string,
): Promise<StepResult> {
  const runs = action.template.runs as { steps: Step[] };
  const file = relative(repoRoot, action.path);
  const actionPath = resolve(action.path, '..');
  const inputs: Record<string, string> = {};
  for (const input of action.template.inputs ?? []) {
    const value = given[input.id] ?? (input.default ? evaluateString(input.default, { contexts }) : '');
    if (input.required && value === '' && !(input.id in given)) {
      job.log(prefix, `::warning::Input required and not supplied: ${input.id}`);
    }
    inputs[input.id] = value;
  }
  for (const name of Object.keys(given)) {
    if (!(action.template.inputs ?? []).some((input) => input.id === name))
      job.log(prefix, `::warning::Unexpected input(s) '${name}'`);
  }
  const rawSteps = readKey(readKey(action.root, 'runs'), 'steps');
  const inner: StepFrame = {
    file,
    coveragePrefix: '',
    parentLabel: prefix.slice(job.jobId.length + 1),
    steps: runs.steps,
    rawSteps: rawSteps ? [...(rawSteps as unknown as Iterable<TemplateToken>)] : [],
    inputs,
    actionPath,
    baseEnv: env,
    failed: false,
    stepsContext: {},
  };
  const records = await runSteps(job, inner);
  const outputContexts = { ...createContexts(job, inner, { ...env, ...job.exported }), inputs };
  const outputs: Record<string, string> = {};
  for (const output of action.template.outputs ?? []) {
    outputs[output.id] = output.value ? evaluateString(output.value, { contexts: outputContexts }) : '';
  }
  const failed = records.find((r) => r.conclusion === 'failure');
  return {
    outcome: failed ? 'failure' : 'success',
    outputs,
    steps: records,
    ...(failed ? { error: `composite step '${failed.name}' failed: ${failed.error ?? ''}` } : {}),
  };
}

/**
 * Runs the job's registered post steps after its main steps, newest first, as GitHub does: each when its
 * `post-if` holds under the job's status then (a post-if without a status function means `success() && (…)`),
 * so an `always()` post step runs after a failure or a cancellation. A failing post step fails the job.
 */
export async function runPostSteps(job: JobExecution, mainFailed: boolean): Promise<StepRecord[]> {
  const records: StepRecord[] = [];
  let failed = mainFailed;
  for (const post of [...job.postSteps].reverse()) {
    const started = performance.now();
    const prefix = `${job.jobId}/${post.label}`;
    const cancelled = job.cancelled || job.timedOut;
    const status: StatusScope = { success: !failed && !cancelled, failure: failed, cancelled };
    const contexts = createContexts(job, { failed, actionPath: undefined } as StepFrame, {
      ...job.env,
      ...job.exported,
    });
    const source = /\b(success|failure|always|cancelled)\s*\(/.test(post.condition)
      ? post.condition
      : `success() && (${post.condition})`;
    let record: StepRecord;
    if (!truthy(evaluateExpression(source, { contexts, status }))) {
      record = {
        id: `post-${post.stepId}`,
        name: post.label,
        outcome: 'skipped',
        conclusion: 'skipped',
        outputs: {},
        durationMs: 0,
      };
    } else {
      job.log(prefix, 'start');
      // Post steps run to their end even in a cancelled job (GitHub does not cancel them); a job timeout stops them.
      const abort = new AbortController();
      const enclosing = job.currentStep;
      job.currentStep = abort;
      const result = await post.run(abort.signal).catch((error: unknown) => ({
        outcome: 'failure' as const,
        error: (error as Error).message,
      }));
      job.currentStep = enclosing;
      if (result.error) job.log(prefix, `::error::${result.error}`);
      if (result.outcome === 'failure') failed = true;
      record = {
        id: `post-${post.stepId}`,
        name: post.label,
        outcome: result.outcome,
        conclusion: result.outcome,
        outputs: {},
        durationMs: performance.now() - started,
        ...(result.error ? { error: job.masker.mask(result.error) } : {}),
      };
    }
    job.log(prefix, record.outcome);
    records.push(record);
  }
  return records;
}
