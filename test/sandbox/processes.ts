import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { logFileOf } from './paths.js';
import { sleep } from './wait.js';

/** A process the sandbox started: the leader of its own process group. */
export interface SandboxProcess {
  pid: number;
  /** A string its command line contains, so a recycled pid is never mistaken for ours. */
  marker: string;
}

export interface SpawnPieceOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  marker?: string;
}

/**
 * Starts a long-lived piece in its own process group, detached from the caller, with stdout and stderr
 * appended to the piece's log file.
 */
export function spawnPiece(name: string, command: string, args: string[], options: SpawnPieceOptions = {}) {
  const log = openSync(logFileOf(name), 'a');
  try {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      detached: true,
      stdio: ['ignore', log, log],
    });
    if (child.pid === undefined) throw new Error(`could not start ${name} (${command})`);
    let exitCode: number | null | undefined;
    child.once('exit', (code, signal) => (exitCode = code ?? (signal ? 128 : null)));
    child.unref();
    const piece: SandboxProcess = { pid: child.pid, marker: options.marker ?? command };
    return { piece, exited: () => exitCode !== undefined };
  } finally {
    closeSync(log);
  }
}

/** True when the pid is alive and still runs the command we started. */
export function isPieceAlive(piece: SandboxProcess): boolean {
  try {
    const cmdline = readFileSync(`/proc/${piece.pid}/cmdline`, 'utf8');
    const state = readFileSync(`/proc/${piece.pid}/stat`, 'utf8').split(') ')[1]?.[0];
    return state !== 'Z' && cmdline.replaceAll('\0', ' ').includes(piece.marker);
  } catch {
    return false;
  }
}

function isGroupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function signalGroup(pgid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pgid, signal);
  } catch {
    // already gone
  }
}

/** Stops a piece's whole process group: SIGTERM, then SIGKILL after the grace period. */
export async function stopPiece(piece: SandboxProcess, graceMs = 3000): Promise<void> {
  if (!isPieceAlive(piece) && !isGroupAlive(piece.pid)) return;
  signalGroup(piece.pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isGroupAlive(piece.pid) && Date.now() < deadline) await sleep(25);
  if (!isGroupAlive(piece.pid)) return;
  signalGroup(piece.pid, 'SIGKILL');
  const killDeadline = Date.now() + 2000;
  while (isGroupAlive(piece.pid) && Date.now() < killDeadline) await sleep(25);
}

/** The last lines of a piece's log, for error messages. */
export function readLogTail(name: string, lines = 15): string {
  try {
    return readFileSync(logFileOf(name), 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
