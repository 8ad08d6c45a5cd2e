import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { sandboxFiles } from './paths.js';
import type { SandboxProcess } from './processes.js';

/** The sandbox's processes by piece name, as recorded in .sandbox/pids.json. */
export type SandboxPids = Record<string, SandboxProcess>;

/** Reads .sandbox/pids.json; empty when there is none. */
export function readSandboxPids(): SandboxPids {
  try {
    return JSON.parse(readFileSync(sandboxFiles.pids, 'utf8')) as SandboxPids;
  } catch {
    return {};
  }
}

/** Writes .sandbox/pids.json (atomically, so `down` never reads half of it). */
export function writeSandboxPids(pids: SandboxPids): void {
  writeFileSync(`${sandboxFiles.pids}.tmp`, JSON.stringify(pids, null, 2));
  renameSync(`${sandboxFiles.pids}.tmp`, sandboxFiles.pids);
}
