import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { isBoolean, isMapping } from '@actions/workflow-parser';
import type { Job } from '@actions/workflow-parser/model/workflow-template';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';
import {
  evaluateCondition,
  evaluateString,
  evaluateStringMap,
  evaluateToken,
  stringifyValue,
  UnsupportedConstructError,
} from './expressions.js';
import type { JobExecution } from './job-execution.js';
import { readKey, readPath } from './load-workflow.js';
import { resolveJobPermissions } from './permissions.js';
import { checkJobActions } from './check-workflow.js';
import { recordCoverage } from './coverage.js';
import type { JobRecord, JobResult } from './run-result.js';
import type { RunState } from './run-state.js';
import { runPostSteps, runSteps } from './run-steps.js';

/** The workflow's path in a consumer's repository: templates are copied to .github/workflows/. */
export function consumerWorkflowPath(file: string): string {
  return file.startsWith('.github/workflow-templates/') ? `.github/workflows/${basename(file)}` : file;
}

function logLine(run: RunState, prefix: string, line: string): void {
  const masked = run.masker.mask(`[${prefix}] ${line}`);
  run.log.push(masked);
  run.onLog?.(masked);
}

/** Marks a point a scenario may wait for: a step started (`job/step name`), a job queued in its group (`job#concurrency`). */
function notifyMilestone(run: RunState, label: string): void {
  run.startedSteps.add(label);
  for (const waiter of run.stepWaiters.filter((w) => w.label === label)) waiter.resolve();
}

/** Reads `environment:` (a name, or `{ name, url, deployment }`) after evaluation. */
function readEnvironment(token: TemplateToken | undefined, contexts: Record<string, unknown>) {
  if (!token) return undefined;
  if (!isMapping(token)) return { name: evaluateString(token, { contexts }), deployment: true };
  const name = readKey(token, 'name');
  const deployment = readKey(token, 'deployment');
  return {
    name: name ? evaluateString(name, { contexts }) : '',
    url: readKey(token, 'url'),
    deployment: deployment
      ? isBoolean(deployment)
        ? deployment.value
        : evaluateToken(deployment, { contexts }) !== false
      : true,
  };
}

/** The labels of `runs-on` (a label, a list of them, or `{ group, labels }`), evaluated. */
function readRunsOnLabels(token: TemplateToken | undefined, contexts: Record<string, unknown>): string[] {
  if (!token) return [];
  const value = evaluateToken(token, { contexts }) as unknown;
  const labels =
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as { labels?: unknown }).labels
      : value;
  return (Array.isArray(labels) ? labels : [labels]).filter((l): l is string => typeof l === 'string');
}

/** The environment of the machine a job's labels select: runnerEnv, then that machine's env, its folders first on PATH. */
function createMachineEnv(settings: JobExecution['settings'], labels: string[]): Record<string, string> {
  const machine = labels.map((label) => settings.machines[label]).find(Boolean);
  const base = settings.runnerEnv.PATH ?? process.env.PATH ?? '/usr/bin:/bin';
  return {
    ...settings.runnerEnv,
    ...machine?.env,
    PATH: [...(machine?.path ?? []), machine?.env?.PATH ?? base].join(':'),
  };
}

function readDefaults(token: TemplateToken | undefined, contexts: Record<string, unknown>) {
  const run = readKey(token, 'run');
  const shell = readKey(run, 'shell');
  const dir = readKey(run, 'working-directory');
  return {
    ...(shell ? { shell: evaluateString(shell, { contexts }) } : {}),
    ...(dir ? { workingDirectory: evaluateString(dir, { contexts }) } : {}),
  };
}

/** What a job's `if:` sees of its needs: success() when every need succeeded, failure() when an ancestor failed. */
export interface NeedsState {
  needs: Record<string, { result: JobResult; outputs: Record<string, string> }>;
  anyAncestorFailed: boolean;
}

/**
 * Runs one job as GitHub does: `if:` (with its needs' status), job concurrency, the environment's reviewers and
 * Deployment, a token scoped to the job's permissions, env and defaults, its steps under `timeout-minutes`, then
 * its outputs (outputs holding a secret are dropped, as GitHub does).
 */
export async function runJob(run: RunState, job: Job, state: NeedsState): Promise<JobRecord> {
  const started = performance.now();
  const { root, file } = run.workflow;
  const jobId = job.id.value;
  const raw = readPath(root, 'jobs', jobId);
  const baseContexts = {
    github: run.githubContext,
    inputs: run.inputs,
    vars: run.settings.vars,
    needs: state.needs,
    strategy: {},
    matrix: null,
  };
  const name = job.name ? evaluateString(job.name, { contexts: baseContexts }) : jobId;
  const record: JobRecord = { id: jobId, name, result: 'skipped', outputs: {}, steps: [], durationMs: 0 };
  const continueOnError = readKey(raw, 'continue-on-error');
  if (continueOnError) {
    record.continueOnError = isBoolean(continueOnError)
      ? continueOnError.value
      : evaluateToken(continueOnError, { contexts: baseContexts }) === true;
  }
  const end = (result: JobResult, error?: string): JobRecord => {
    record.result = result;
    if (error) {
      record.error = run.masker.mask(error);
      logLine(run, jobId, `::error::${error}`);
    }
    record.durationMs = performance.now() - started;
    logLine(run, jobId, `job ${result}`);
    return record;
  };
  const allSucceeded = Object.values(state.needs).every((need) => need.result === 'success');
  const status = { success: allSucceeded, failure: state.anyAncestorFailed, cancelled: run.cancelled };
  if (!evaluateCondition(job.if, { contexts: baseContexts, status }))
    return end(run.cancelled ? 'cancelled' : 'skipped');

  const concurrency = job.concurrency ? readConcurrency(job.concurrency, baseContexts) : undefined;
  let cancelled = false;
  let execution: JobExecution | undefined;
  const member = {
    cancel: () => {
      cancelled = true;
      if (concurrency) run.groups.withdraw(concurrency.group, member);
      if (execution) {
        execution.cancelled = true;
        execution.currentStep?.abort('cancelled');
      }
    },
  };
  run.running.set(jobId, {
    cancel: () => {
      // GitHub re-evaluates a running job's if on cancellation: always() keeps it running.
      const keep = evaluateCondition(job.if, { contexts: baseContexts, status: { ...status, cancelled: true } });
      if (!keep) member.cancel();
    },
  });

  let deploymentEnded = false;
  const setDeployment = async (state: 'in_progress' | 'success' | 'failure', environmentUrl?: string) => {
    if (record.deploymentId === undefined) return;
    if (state !== 'in_progress') deploymentEnded = true;
    await run.github.setDeploymentStatus({
      repository: String(run.githubContext.repository),
      deploymentId: record.deploymentId,
      state,
      ...(environmentUrl ? { environmentUrl } : {}),
    });
  };
  try {
    if (concurrency) {
      logLine(run, jobId, `waiting for concurrency group '${concurrency.group}'`);
      const admission = run.groups.acquire(concurrency.group, member, concurrency.cancelInProgress);
      notifyMilestone(run, `${jobId}#concurrency`);
      const admitted = await admission;
      if (!admitted) return end('cancelled', `replaced in concurrency group '${concurrency.group}' by a newer job`);
    }
    if (cancelled || run.cancelled) return end('cancelled');

    const environment = readEnvironment(job.environment, baseContexts);
    if (environment) record.environment = environment.name;
    const decision = environment ? run.environments[environment.name] : undefined;
    if (environment && environment.deployment) {
      record.deploymentId = await run.github.createDeployment({
        repository: String(run.githubContext.repository),
        environment: environment.name,
        ref: String(run.githubContext.sha),
        sha: String(run.githubContext.sha),
      });
    }
    if (environment && decision === 'reject') {
      await setDeployment('failure');
      return end('failure', `the deployment to environment '${environment.name}' was rejected by a reviewer`);
    }
    if (environment)
      logLine(
        run,
        jobId,
        `environment '${environment.name}' ${decision === 'approve' ? 'approved' : 'has no protection rules'}`,
      );

    checkJobActions(run.workflow, jobId, run.settings.standins);
    const permissions = resolveJobPermissions(
      readKey(root, 'permissions'),
      readKey(raw, 'permissions'),
      `${file}: job '${jobId}'`,
    );
    record.permissions = permissions;
    const token = await run.github.issueJobToken({
      repository: String(run.githubContext.repository),
      runId: String(run.id),
      jobId,
      permissions,
    });
    run.masker.add(token);
    await setDeployment('in_progress');

    const vars = { ...run.settings.vars, ...(environment ? run.settings.environmentVars[environment.name] : {}) };
    const secrets = {
      ...run.settings.secrets,
      ...(environment ? run.settings.environmentSecrets[environment.name] : {}),
      GITHUB_TOKEN: token,
    };
    for (const value of Object.values(secrets)) run.masker.add(value);
    const github = { ...run.githubContext, token, job: jobId };
    const envContexts = { ...baseContexts, github, vars, secrets };
    const workflowEnv = evaluateStringMap(run.workflow.template.env, { contexts: envContexts });
    const jobEnv = evaluateStringMap(job.env, { contexts: { ...envContexts, env: workflowEnv } });
    const env = { ...workflowEnv, ...jobEnv };
    const workflowDefaults = readDefaults(readKey(root, 'defaults'), { ...envContexts, env });
    const jobDefaults = readDefaults(readKey(raw, 'defaults'), { ...envContexts, env });

    const dir = join(run.workRoot, `run-${run.id}`, jobId);
    const workspace = join(dir, 'workspace');
    const runnerTemp = join(dir, 'temp');
    mkdirSync(workspace, { recursive: true });
    mkdirSync(runnerTemp, { recursive: true });
    const eventPath = join(dir, 'event.json');
    writeFileSync(eventPath, JSON.stringify(run.event.payload));
    const machineEnv = createMachineEnv(
      run.settings,
      readRunsOnLabels(readKey(raw, 'runs-on'), { ...envContexts, env }),
    );

    execution = {
      settings: run.settings,
      file,
      jobId,
      facts: {
        workflowFile: consumerWorkflowPath(file),
        jobId,
        ...(environment ? { environment: environment.name } : {}),
        eventName: run.event.name,
        ref: run.eventRef.ref,
        sha: run.eventRef.sha,
        repository: String(run.githubContext.repository),
        repositoryId: run.repository.id,
        repositoryOwner: run.repository.owner,
        repositoryOwnerId: run.repository.ownerId,
        actor: run.actor,
        runId: String(run.id),
        runAttempt: '1',
        permissions,
        canRequestIdToken: permissions['id-token'] === 'write',
        ...(run.settings.oidcSubjectForm ? { oidcSubjectForm: run.settings.oidcSubjectForm } : {}),
      },
      token,
      github: { ...github, workspace },
      contexts: { vars, secrets, inputs: run.inputs, needs: state.needs },
      env,
      exported: {},
      paths: [],
      summary: [],
      defaults: { ...workflowDefaults, ...jobDefaults },
      workspace,
      runnerTemp,
      eventPath,
      machineEnv,
      masker: run.masker,
      log: (prefix, line) => logLine(run, prefix, line),
      cancelled,
      timedOut: false,
      postSteps: [],
      onStepStart: (label) => notifyMilestone(run, `${jobId}/${label}`),
    };
    recordCoverage(run.settings.coverageDir, file, jobId);

    const timeoutToken = readKey(raw, 'timeout-minutes');
    const timeoutMinutes = timeoutToken ? Number(evaluateToken(timeoutToken, { contexts: envContexts })) : 360;
    if (!Number.isFinite(timeoutMinutes) || timeoutMinutes <= 0)
      throw new UnsupportedConstructError(`${file}: job '${jobId}': timeout-minutes must be > 0`);
    const jobExecution = execution;
    const timer = setTimeout(() => {
      jobExecution.timedOut = true;
      jobExecution.currentStep?.abort('timeout');
    }, timeoutMinutes * 60_000);
    try {
      record.steps = await runSteps(execution, {
        file,
        coveragePrefix: `${jobId}/`,
        steps: job.steps,
        rawSteps: [...((readKey(raw, 'steps') ?? []) as unknown as Iterable<TemplateToken>)],
        baseEnv: env,
        failed: false,
        stepsContext: {},
      });
      const mainFailed = record.steps.some((s) => s.conclusion === 'failure');
      record.steps.push(...(await runPostSteps(execution, mainFailed)));
    } finally {
      clearTimeout(timer);
    }
    const stepsContext = Object.fromEntries(
      record.steps.map((s) => [s.id, { outputs: s.outputs, outcome: s.outcome, conclusion: s.conclusion }]),
    );
    const outputContexts = {
      ...envContexts,
      github: execution.github,
      env: { ...env, ...execution.exported },
      steps: stepsContext,
      job: { status: 'success' },
      runner: { os: 'Linux', arch: 'X64', temp: runnerTemp },
    };
    for (const [key, value] of Object.entries(evaluateStringMap(job.outputs, { contexts: outputContexts }))) {
      if (value !== run.masker.mask(value)) {
        logLine(run, jobId, `::warning::Skip output '${key}' since it may contain secret.`);
        continue;
      }
      record.outputs[key] = value;
    }
    if (execution.summary.length) record.summary = execution.summary.join('\n');
    const failed = record.steps.some((s) => s.conclusion === 'failure');
    const result: JobResult = execution.timedOut
      ? 'failure'
      : execution.cancelled
        ? 'cancelled'
        : failed
          ? 'failure'
          : 'success';
    const url = environment?.url
      ? stringifyValue(evaluateToken(environment.url, { contexts: outputContexts }))
      : undefined;
    await setDeployment(result === 'success' ? 'success' : 'failure', url);
    return end(
      result,
      execution.timedOut ? `the job exceeded its timeout-minutes (${timeoutMinutes}) and was stopped` : undefined,
    );
  } catch (error) {
    // A job that fails at set-up (an action we cannot run, the token) ends its Deployment as failed too.
    if (record.deploymentId !== undefined && !deploymentEnded)
      await setDeployment('failure').catch((failure: unknown) =>
        logLine(run, jobId, `::warning::the Deployment could not be marked failed: ${(failure as Error).message}`),
      );
    return end('failure', (error as Error).message);
  } finally {
    run.running.delete(jobId);
    if (concurrency) run.groups.release(concurrency.group, member);
  }
}

/** A `concurrency:` value (a group name, or `{ group, cancel-in-progress }`) after evaluation. */
export function readConcurrency(token: TemplateToken, contexts: Record<string, unknown>) {
  if (!isMapping(token)) return { group: evaluateString(token, { contexts }), cancelInProgress: false };
  const group = readKey(token, 'group');
  const cancel = readKey(token, 'cancel-in-progress');
  return {
    group: group ? evaluateString(group, { contexts }) : '',
    cancelInProgress: cancel
      ? isBoolean(cancel)
        ? cancel.value
        : evaluateToken(cancel, { contexts }) === true
      : false,
  };
}
