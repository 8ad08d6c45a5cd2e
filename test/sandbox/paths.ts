import { homedir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../harness/paths.js';

/** Where a running sandbox keeps its configs, data, logs and the files tests read. */
export const sandboxDir = join(repoRoot, '.sandbox');

export const sandboxFiles = {
  endpoints: join(sandboxDir, 'endpoints.json'),
  env: join(sandboxDir, 'env'),
  pids: join(sandboxDir, 'pids.json'),
  lock: join(sandboxDir, 'up.lock'),
  daemonConfig: join(sandboxDir, 'daemon-config.json'),
  daemonReady: join(sandboxDir, 'daemon-ready.json'),
  logs: join(sandboxDir, 'logs'),
} as const;

/** Survives `down` and fresh clones on the same machine, so moto is extracted once per machine. */
export const machineCacheDir = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'preview-actions');

/** The path of a piece's log file. */
export function logFileOf(name: string): string {
  return join(sandboxFiles.logs, `${name}.log`);
}
