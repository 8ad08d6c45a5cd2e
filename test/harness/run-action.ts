import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readActionMetadata } from './action-metadata.js';
import { readInputDefaults, type GitHubExpressionContext } from './expressions.js';
import { repoRoot } from './paths.js';
import { startCallRecording } from './record-calls.js';
import { parseFileCommands, parseWorkflowCommands, type WorkflowCommand } from './workflow-commands.js';

export interface RunActionOptions {
  /** The action's folder name under actions/. */
  action: string;
  /** Inputs by their action.yml name; defaults from action.yml fill the rest, as the runner does. */
  inputs?: Record<string, string>;
  event?: { name: string; payload: object };
  /** Extra environment, e.g. the sandbox endpoints. */
  env?: Record<string, string | undefined>;
  repository?: string;
  sha?: string;
  ref?: string;
  actor?: string;
  token?: string;
  debug?: boolean;
  timeoutMs?: number;
  /** The entrypoint to run, relative to the action folder; default its `runs.main` (a post step names `runs.post`). */
  entry?: string;
  /** The folder holding action.yml, for an action outside actions/ (a runner fixture); default actions/<action>. */
  actionDir?: string;
  /** GITHUB_WORKSPACE and the working directory (a checkout); default a fresh empty folder. */
  workspace?: string;
  /** The node binary that runs the bundle; default this process's (the workflow runner passes Node 24). */
  node?: string;
  /**
   * The contexts action.yml defaults are evaluated with besides `github` (env, job, runner, …), as a workflow
   * step has them; `github` is built from the other options unless given here.
   */
  contexts?: Record<string, unknown>;
  /** Inputs action.yml does not declare: refused (default), or passed on as INPUT_* with a warning as GitHub does. */
  unexpectedInputs?: 'refuse' | 'pass';
  /** Stops the action (SIGINT, then SIGKILL after `killGraceMs`), as the runner does on cancellation or timeout. */
  signal?: AbortSignal;
  killGraceMs?: number;
}

export interface ActionRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  outputs: Record<string, string>;
  /** Variables the action exported through GITHUB_ENV. */
  exported: Record<string, string>;
  state: Record<string, string>;
  summary: string;
  stdout: string;
  stderr: string;
  commands: WorkflowCommand[];
  annotations: { level: 'error' | 'warning' | 'notice'; message: string; properties: Record<string, string> }[];
  /** Values the action asked the runner to mask. */
  masks: string[];
  /** Folders the action added through GITHUB_PATH (optional so hand-made runs in older tests still type-check). */
  addedPaths?: string[];
  /** Inputs given that action.yml does not declare (only with `unexpectedInputs: 'pass'`). */
  unexpectedInputs?: string[];
  /** Whether `signal` stopped it. */
  aborted?: boolean;
  durationMs: number;
}

/** The INPUT_ variable name the runner uses: spaces to '_', upper-cased, hyphens kept. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/**
 * Runs `node actions/<name>/dist/index.js` exactly as the GitHub Actions runner does:
 * INPUT_* variables with action.yml defaults filled in, an event file, GITHUB_OUTPUT,
 * GITHUB_ENV, GITHUB_STATE and GITHUB_STEP_SUMMARY files, and the usual GITHUB_* and
 * RUNNER_* variables. Returns what the runner would see.
 */
export async function runActionBundle(options: RunActionOptions): Promise<ActionRun> {
  const actionDir = options.actionDir ?? join(repoRoot, 'actions', options.action);
  const metadata = readActionMetadata(join(actionDir, 'action.yml'));
  const work = mkdtempSync(join(tmpdir(), `run-${options.action}-`));
  const files = {
    event: join(work, 'event.json'),
    output: join(work, 'output'),
    env: join(work, 'env'),
    state: join(work, 'state'),
    summary: join(work, 'summary.md'),
    path: join(work, 'path'),
  };
  const event = options.event ?? { name: 'workflow_dispatch', payload: {} };
  writeFileSync(files.event, JSON.stringify(event.payload));
  for (const file of [files.output, files.env, files.state, files.summary, files.path]) writeFileSync(file, '');
  mkdirSync(join(work, 'runner-temp'));

  const repository = options.repository ?? 'octo-org/octo-repo';
  const ref = options.ref ?? 'refs/heads/main';
  const token = options.token ?? options.env?.GITHUB_TOKEN ?? 'ghs_harnessToken000000000000000000000000';
  const apiUrl = options.env?.GITHUB_API_URL ?? 'https://api.github.com';
  const github: GitHubExpressionContext = {
    ref_name: ref.replace(/^refs\/(heads|tags)\//, ''),
    ref,
    sha: options.sha ?? '0123456789abcdef0123456789abcdef01234567',
    token,
    repository,
    repository_owner: repository.split('/')[0] ?? '',
    actor: options.actor ?? 'octocat',
    run_id: '4242',
    run_attempt: '1',
    server_url: 'https://github.com',
    api_url: apiUrl,
    event_name: event.name,
    event: event.payload,
  };

  const inputEnv: Record<string, string> = {};
  const defaults = readInputDefaults(join(actionDir, 'action.yml'), {
    ...options.contexts,
    github: (options.contexts?.github as Record<string, unknown> | undefined) ?? github,
  });
  for (const name of Object.keys(metadata.inputs)) {
    inputEnv[inputVariable(name)] = options.inputs?.[name] ?? defaults[name] ?? '';
  }
  const unexpectedInputs = Object.keys(options.inputs ?? {}).filter((name) => !(name in metadata.inputs));
  for (const name of unexpectedInputs) {
    if (options.unexpectedInputs !== 'pass') throw new Error(`Action ${options.action} has no input '${name}'`);
    inputEnv[inputVariable(name)] = options.inputs?.[name] ?? '';
  }

  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? work,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: event.name,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_OUTPUT: files.output,
    GITHUB_ENV: files.env,
    GITHUB_STATE: files.state,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_PATH: files.path,
    GITHUB_REPOSITORY: repository,
    GITHUB_REPOSITORY_OWNER: github.repository_owner,
    GITHUB_SHA: github.sha,
    GITHUB_REF: ref,
    GITHUB_REF_NAME: github.ref_name,
    GITHUB_ACTOR: github.actor,
    GITHUB_RUN_ID: github.run_id,
    GITHUB_RUN_ATTEMPT: github.run_attempt,
    GITHUB_SERVER_URL: github.server_url,
    GITHUB_API_URL: apiUrl,
    GITHUB_WORKSPACE: options.workspace ?? work,
    RUNNER_TEMP: join(work, 'runner-temp'),
    RUNNER_OS: 'Linux',
    RUNNER_DEBUG: options.debug ? '1' : '0',
    ...Object.fromEntries(Object.entries(options.env ?? {}).filter((e): e is [string, string] => e[1] !== undefined)),
    ...inputEnv,
  };

  const entry = join(actionDir, options.entry ?? metadata.runs.main ?? 'dist/index.js');
  const started = performance.now();
  const recording = await startCallRecording(options.action, env);
  const child = spawn(options.node ?? process.execPath, [entry], {
    env: recording?.env ?? env,
    cwd: options.workspace ?? work,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let aborted = false;
  let graceTimer: NodeJS.Timeout | undefined;
  const stop = () => {
    aborted = true;
    child.kill('SIGINT');
    graceTimer = setTimeout(() => child.kill('SIGKILL'), options.killGraceMs ?? 7500);
  };
  if (options.signal?.aborted) stop();
  else options.signal?.addEventListener('abort', stop, { once: true });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const timeoutMs = options.timeoutMs ?? 60_000;
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, sig) => resolve([code, sig]));
  }).catch(async (error: unknown) => {
    await recording?.abandon();
    throw error;
  });
  clearTimeout(timer);
  clearTimeout(graceTimer);
  options.signal?.removeEventListener('abort', stop);
  const durationMs = performance.now() - started;
  if (signal === 'SIGKILL' && !aborted) {
    await recording?.abandon();
    throw new Error(`${options.action} did not finish within ${timeoutMs} ms\n${stdout}\n${stderr}`);
  }
  await recording?.finish(exitCode);

  const commands = parseWorkflowCommands(stdout);
  const run: ActionRun = {
    exitCode,
    signal,
    outputs: parseFileCommands(readFileSync(files.output, 'utf8')),
    exported: parseFileCommands(readFileSync(files.env, 'utf8')),
    state: parseFileCommands(readFileSync(files.state, 'utf8')),
    summary: readFileSync(files.summary, 'utf8'),
    stdout,
    stderr,
    commands,
    annotations: commands
      .filter((c): c is WorkflowCommand & { command: 'error' | 'warning' | 'notice' } =>
        ['error', 'warning', 'notice'].includes(c.command),
      )
      .map((c) => ({ level: c.command, message: c.message, properties: c.properties })),
    masks: commands.filter((c) => c.command === 'add-mask').map((c) => c.message),
    addedPaths: readFileSync(files.path, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== ''),
    unexpectedInputs,
    aborted,
    durationMs,
  };
  rmSync(work, { recursive: true, force: true });
  return run;
}
