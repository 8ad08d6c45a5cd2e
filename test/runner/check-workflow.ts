import { join } from 'node:path';
import { isMapping, isString } from '@actions/workflow-parser';
import { isActionStep, isReusableWorkflowJob, isRunStep } from '@actions/workflow-parser/model/type-guards';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';
import { readActionTemplate } from '../harness/action-template.js';
import { checkExpressions, UnsupportedConstructError } from './expressions.js';
import { listKeys, readKey, readPath, type LoadedWorkflow } from './load-workflow.js';
import { resolveUses } from './resolve-uses.js';
import { resolveShellCommand } from './run-shell.js';
import type { Standin } from './standin-api.js';

/** Every context name an expression may use somewhere; GitHub's parser already checked which may appear where. */
export const CONTEXT_NAMES = [
  'github',
  'env',
  'vars',
  'secrets',
  'inputs',
  'needs',
  'steps',
  'job',
  'jobs',
  'runner',
  'strategy',
  'matrix',
];

const WORKFLOW_KEYS = ['name', 'run-name', 'on', 'permissions', 'env', 'defaults', 'concurrency', 'jobs'];
const JOB_KEYS = [
  'name',
  'needs',
  'if',
  'runs-on',
  'environment',
  'permissions',
  'concurrency',
  'outputs',
  'env',
  'defaults',
  'steps',
  'timeout-minutes',
  'continue-on-error',
];
const STEP_KEYS = [
  'id',
  'name',
  'if',
  'uses',
  'run',
  'with',
  'env',
  'shell',
  'working-directory',
  'continue-on-error',
  'timeout-minutes',
];

function refuse(where: string, what: string): never {
  throw new UnsupportedConstructError(`${where}: ${what} is not supported by the test runner`);
}

function checkKeys(token: TemplateToken | undefined, allowed: string[], where: string): void {
  for (const key of listKeys(token)) if (!allowed.includes(key)) refuse(where, `'${key}:'`);
}

function checkSteps(
  rawSteps: TemplateToken | undefined,
  where: string,
  standins: Record<string, Standin> | undefined,
): void {
  if (!rawSteps) return;
  let index = 0;
  for (const raw of rawSteps as unknown as Iterable<TemplateToken>) {
    index++;
    const at = `${where} step ${index}`;
    checkKeys(raw, STEP_KEYS, at);
    const shell = readKey(raw, 'shell');
    if (shell && isString(shell)) {
      try {
        resolveShellCommand(shell.value);
      } catch (error) {
        throw new UnsupportedConstructError(`${at}: ${(error as Error).message}`);
      }
    }
    const uses = readKey(raw, 'uses');
    if (standins && uses && isString(uses)) {
      const resolved = resolveUses(uses.value, at, standins);
      if (resolved.kind === 'ours') checkAction(join(resolved.actionPath, 'action.yml'), standins);
    }
  }
}

/** Refuses what an action of ours uses that the runner cannot run (a docker action, a composite's unknown uses). */
export function checkAction(path: string, standins: Record<string, Standin>): void {
  const action = readActionTemplate(path);
  const using = action.template.runs.using;
  if (using === 'docker') refuse(path, `a docker action ('runs.using: docker')`);
  if (using === 'composite') {
    const steps = readPath(action.root, 'runs', 'steps');
    checkSteps(steps, `${path}:`, standins);
    checkExpressions(action.root, CONTEXT_NAMES, true);
    for (const step of action.template.runs.steps) {
      if (!isRunStep(step) && !isActionStep(step)) refuse(path, `step '${step.id}' (neither run nor uses)`);
    }
  } else if (action.template.runs.pre) {
    refuse(path, `a pre script of a node action`);
  }
}

/**
 * Refuses, before anything runs, every construct of the workflow the runner does not implement: job-level `uses:`
 * (reusable workflows), `services:`, `container:`, `strategy:` (no shipped template uses a matrix), unknown keys, an
 * unsupported shell, and expression functions the runner does not supply (hashFiles, …). The message names the
 * construct, the file and the job/step. The actions a job uses are checked when the job starts (checkJobActions).
 */
export function checkWorkflow(workflow: LoadedWorkflow): void {
  const { file, root, template } = workflow;
  checkKeys(root, WORKFLOW_KEYS, file);
  checkKeys(readKey(root, 'concurrency'), ['group', 'cancel-in-progress'], `${file} concurrency`);
  for (const job of template.jobs) {
    const where = `${file}: job '${job.id.value}'`;
    if (isReusableWorkflowJob(job)) refuse(where, `a reusable workflow ('uses: ${job.ref.value}')`);
    const raw = readPath(root, 'jobs', job.id.value);
    checkKeys(raw, JOB_KEYS, where);
    const concurrency = readKey(raw, 'concurrency');
    if (concurrency && isMapping(concurrency))
      checkKeys(concurrency, ['group', 'cancel-in-progress'], `${where} concurrency`);
    const environment = readKey(raw, 'environment');
    if (environment && isMapping(environment))
      checkKeys(environment, ['name', 'url', 'deployment'], `${where} environment`);
    checkKeys(readKey(readKey(raw, 'defaults'), 'run'), ['shell', 'working-directory'], `${where} defaults.run`);
    checkSteps(readKey(raw, 'steps'), where, undefined);
    try {
      if (raw) checkExpressions(raw, CONTEXT_NAMES, true);
    } catch (error) {
      throw new UnsupportedConstructError(`${where}: ${(error as Error).message}`);
    }
  }
  for (const key of ['env', 'concurrency', 'run-name']) {
    const token = readKey(root, key);
    if (token) checkExpressions(token, CONTEXT_NAMES, false);
  }
  checkKeys(readKey(readKey(root, 'defaults'), 'run'), ['shell', 'working-directory'], `${file} defaults.run`);
}

/**
 * Refuses a job whose `uses:` is neither ours nor a registered stand-in (or one of ours the runner cannot run), at
 * the point GitHub fails such a job: its set-up, before any of its steps. A job its `if:` skips is never checked,
 * as GitHub never downloads its actions.
 */
export function checkJobActions(workflow: LoadedWorkflow, jobId: string, standins: Record<string, Standin>): void {
  checkSteps(readPath(workflow.root, 'jobs', jobId, 'steps'), `${workflow.file}: job '${jobId}'`, standins);
}
