import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { sandboxDir } from '../paths.js';
import type { PublishedPort } from './load-compose-project.js';

/** Where the compose host keeps its image store, projects and the dev host's docker login (under the sandbox). */
export const composeHostDir = join(sandboxDir, 'compose');

export const composeHostFiles = {
  /** reference → what `pull` resolved it to: the stand-in's local image store. */
  images: join(composeHostDir, 'images.json'),
  /** One `<project>.json` per compose project: its containers. */
  projects: join(composeHostDir, 'projects'),
  /** DOCKER_CONFIG of the dev host: the registry logins its admin made once (sandbox-world writes them). */
  dockerConfig: join(composeHostDir, 'docker-config'),
  /** Each container's output. */
  logs: join(sandboxDir, 'logs', 'compose'),
} as const;

/** A pulled image: its digest and the labels of its config (`sandbox.ecs.behaviour` says what it does). */
export interface StoredImage {
  reference: string;
  digest: string;
  labels: Record<string, string>;
}

/** A "container": the process standing in for it and what it was created from (compose's labels, in short). */
export interface ContainerRecord {
  /** `<project>-<service>-1`, as compose names it. */
  name: string;
  service: string;
  pid: number;
  image: string;
  digest: string;
  behaviour: string;
  ports: PublishedPort[];
  /** com.docker.compose.config-hash: a container whose hash differs from the file's is recreated by `up`. */
  configHash: string;
  createdAt: string;
}

/** A compose project's containers, with com.docker.compose.project.* (where it was started from). */
export interface ProjectRecord {
  name: string;
  workingDir: string;
  configFile: string;
  environmentFile: string;
  containers: Record<string, ContainerRecord>;
}

function writeJson(path: string, value: unknown): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(`${path}.tmp`, JSON.stringify(value, null, 2));
  renameSync(`${path}.tmp`, path);
}

/** The local image store. */
export function readImageStore(): Record<string, StoredImage> {
  return existsSync(composeHostFiles.images)
    ? (JSON.parse(readFileSync(composeHostFiles.images, 'utf8')) as Record<string, StoredImage>)
    : {};
}

export function storeImage(image: StoredImage): void {
  writeJson(composeHostFiles.images, { ...readImageStore(), [image.reference]: image });
}

/** A project's record, or undefined when it has never been up. */
export function readProjectRecord(name: string): ProjectRecord | undefined {
  const path = join(composeHostFiles.projects, `${name}.json`);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as ProjectRecord) : undefined;
}

export function writeProjectRecord(record: ProjectRecord): void {
  writeJson(join(composeHostFiles.projects, `${record.name}.json`), record);
}

/** Every project that was ever up on this sandbox. */
export function listProjectRecords(): ProjectRecord[] {
  if (!existsSync(composeHostFiles.projects)) return [];
  return readdirSync(composeHostFiles.projects)
    .filter((file) => file.endsWith('.json'))
    .map((file) => readProjectRecord(file.slice(0, -'.json'.length))!)
    .filter(Boolean);
}

/** True while the container's process is alive and is that container (a recycled pid is not). */
export function isContainerRunning(container: ContainerRecord): boolean {
  try {
    const cmdline = readFileSync(`/proc/${container.pid}/cmdline`, 'utf8');
    const state = readFileSync(`/proc/${container.pid}/stat`, 'utf8').split(') ')[1]?.[0];
    return cmdline.includes('container-process.mjs') && cmdline.includes(container.name) && state !== 'Z';
  } catch {
    return false;
  }
}

/** Stops a container as `docker stop` does: SIGTERM, then SIGKILL after 10 s (compose's default timeout). */
export async function stopContainer(container: ContainerRecord): Promise<void> {
  if (!isContainerRunning(container)) return;
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-container.pid, name);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  for (let waited = 0; waited < 10_000 && isContainerRunning(container); waited += 50) await sleep(50);
  if (isContainerRunning(container)) signal('SIGKILL');
  for (let waited = 0; waited < 5_000 && isContainerRunning(container); waited += 50) await sleep(50);
}

/**
 * Stops every container of every project (what `pnpm sandbox down` calls, before it removes the sandbox's
 * state) and returns their names.
 */
export async function stopComposeHost(): Promise<string[]> {
  const stopped: string[] = [];
  for (const project of listProjectRecords()) stopped.push(...(await stopComposeProject(project.name)));
  return stopped;
}

/** Stops and forgets a project's containers (`docker compose down` without networks and volumes); their names. */
export async function stopComposeProject(name: string): Promise<string[]> {
  const project = readProjectRecord(name);
  if (!project) return [];
  const stopped: string[] = [];
  for (const container of Object.values(project.containers)) {
    if (!isContainerRunning(container)) continue;
    await stopContainer(container);
    stopped.push(`compose:${container.name}`);
  }
  writeProjectRecord({ ...project, containers: {} });
  return stopped;
}
