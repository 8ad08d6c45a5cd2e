import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { readSandboxEndpoints, type SandboxEndpoints } from './endpoints.js';
import { acquireLock } from './lock.js';
import { sandboxDir, sandboxFiles } from './paths.js';
import { stopComposeHost } from './compose-host/compose-state.js';
import { readSandboxPids } from './pid-file.js';
import { probeTcp } from './probes.js';
import { stopPiece } from './processes.js';

/** Stops every process recorded in .sandbox/pids.json (each whole process group) and forgets them. */
export async function stopSandboxPieces(): Promise<string[]> {
  const pids = readSandboxPids();
  await Promise.all(Object.values(pids).map((piece) => stopPiece(piece)));
  rmSync(sandboxFiles.pids, { force: true });
  return Object.keys(pids);
}

/** Every loopback port a sandbox described by `endpoints` listens on. */
export function listSandboxPorts(endpoints: SandboxEndpoints): number[] {
  const urls = [
    endpoints.aws.directUrl,
    endpoints.github.directApiUrl,
    endpoints.github.adminUrl,
    endpoints.cloudflare.directBaseUrl,
    endpoints.cloudflare.adminUrl,
    endpoints.registries.token.realm,
    endpoints.redis.url,
    endpoints.faultProxy.adminUrl,
    ...Object.values(endpoints.faultProxy.urls),
    `http://${endpoints.registries.basic.directHost}`,
    `http://${endpoints.registries.token.directHost}`,
  ];
  return [...new Set(urls.map((url) => Number(new URL(url).port)).filter((port) => port > 0))];
}

/** The sandbox ports still accepting connections. */
export async function listOpenPorts(ports: number[]): Promise<number[]> {
  const open = await Promise.all(ports.map(async (port) => ((await probeTcp(port)) ? port : undefined)));
  return open.filter((port): port is number => port !== undefined);
}

export interface StopSandboxResult {
  stopped: string[];
  /** Ports that still listened after the processes were stopped (should be none). */
  openPorts: number[];
}

/** Stops the sandbox, checks no port of it still listens, and removes its state (the logs stay). */
export async function stopSandbox(): Promise<StopSandboxResult> {
  mkdirSync(sandboxDir, { recursive: true });
  const release = await acquireLock(sandboxFiles.lock, 120_000);
  try {
    const endpoints = existsSync(sandboxFiles.endpoints) ? readSandboxEndpoints() : undefined;
    // the compose host's containers first: detached processes only its state names
    const stopped = [...(await stopComposeHost()), ...(await stopSandboxPieces())];
    const openPorts = endpoints ? await listOpenPorts(listSandboxPorts(endpoints)) : [];
    for (const entry of readdirSync(sandboxDir)) {
      const path = join(sandboxDir, entry);
      if (path !== sandboxFiles.lock && path !== sandboxFiles.logs) rmSync(path, { recursive: true, force: true });
    }
    return { stopped, openPorts };
  } finally {
    release();
  }
}
