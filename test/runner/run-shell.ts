import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { UnsupportedConstructError } from './expressions.js';

/**
 * The shells GitHub runs `run:` with on Linux ("jobs.<job_id>.steps[*].shell"): no shell named → `bash -e {0}`,
 * `bash` → `bash --noprofile --norc -eo pipefail {0}`, `sh` → `sh -e {0}`, or a custom command containing `{0}`.
 */
export function resolveShellCommand(shell: string | undefined): { command: string[]; extension: string } {
  if (shell === undefined) return { command: ['bash', '-e', '{0}'], extension: '.sh' };
  if (shell === 'bash')
    return { command: ['bash', '--noprofile', '--norc', '-eo', 'pipefail', '{0}'], extension: '.sh' };
  if (shell === 'sh') return { command: ['sh', '-e', '{0}'], extension: '.sh' };
  if (shell.includes('{0}')) return { command: shell.split(/\s+/).filter(Boolean), extension: '' };
  throw new UnsupportedConstructError(
    `shell '${shell}' is not supported by the test runner (bash, sh, or a command with {0})`,
  );
}

export interface ShellRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Writes the script to a file and runs it with the step's shell in its own process group, so a cancellation or
 * timeout stops the whole tree: SIGINT, then SIGTERM after `killGraceMs`, then SIGKILL, as the runner escalates.
 */
export async function runShell(options: {
  script: string;
  shell: string | undefined;
  cwd: string;
  env: Record<string, string>;
  scriptDir: string;
  signal: AbortSignal;
  killGraceMs: number;
  where: string;
}): Promise<ShellRun> {
  const { command, extension } = resolveShellCommand(options.shell);
  const file = join(options.scriptDir, `${randomUUID()}${extension}`);
  writeFileSync(file, options.script);
  const [program, ...args] = command.map((part) => part.replace('{0}', file));
  const child = spawn(program!, args, {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const timers: NodeJS.Timeout[] = [];
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      // the group is gone already
    }
  };
  const stop = () => {
    signalGroup('SIGINT');
    timers.push(setTimeout(() => signalGroup('SIGTERM'), options.killGraceMs));
    timers.push(setTimeout(() => signalGroup('SIGKILL'), options.killGraceMs + options.killGraceMs / 3));
  };
  if (options.signal.aborted) stop();
  else options.signal.addEventListener('abort', stop, { once: true });
  const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, sig) => resolve([code, sig]));
  });
  options.signal.removeEventListener('abort', stop);
  for (const timer of timers) clearTimeout(timer);
  // A background child may outlive the script; the runner kills the step's process tree when the step ends.
  signalGroup('SIGKILL');
  return { exitCode, signal, stdout, stderr };
}
