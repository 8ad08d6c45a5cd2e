import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, openSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { behaviourLabel } from '../behaviour-label.js';
import {
  composeHostFiles,
  isContainerRunning,
  readImageStore,
  readProjectRecord,
  stopContainer,
  writeProjectRecord,
  type ContainerRecord,
  type ProjectRecord,
  type StoredImage,
} from './compose-state.js';
import type { ComposeProject, ComposeService } from './load-compose-project.js';
import { pullImage } from './pull-image.js';

const CONTAINER_PROCESS = fileURLToPath(new URL('./container-process.mjs', import.meta.url));

/** What `up` failed on, worded as the daemon answers. */
export class ComposeUpError extends Error {}

/**
 * `docker compose up --detach --remove-orphans`: for each service, its image from the store (pulled when missing,
 * as the default pull_policy `missing` does); a container whose config hash (image digest, ports, environment)
 * still matches and still runs is left alone, any other is stopped and replaced; containers of services no longer
 * in the file are removed. Each container is a detached process doing what its image's `sandbox.ecs.behaviour`
 * label says. The project's record is written after every change, so a failure leaves it as it is.
 */
export async function upProject(
  project: ComposeProject,
  env: Readonly<Record<string, string | undefined>>,
  progress: (line: string) => void,
): Promise<void> {
  const record: ProjectRecord = {
    name: project.name,
    workingDir: project.workingDir,
    configFile: project.configFile,
    environmentFile: project.environmentFile,
    containers: { ...readProjectRecord(project.name)?.containers },
  };
  const images: Record<string, StoredImage> = {};
  for (const service of project.services) {
    let image: StoredImage | { error: string } | undefined = readImageStore()[service.image];
    if (!image) {
      progress(` ${service.name} Pulling`);
      image = await pullImage(service.image, env);
    }
    if ('error' in image) throw new ComposeUpError(`Error response from daemon: ${image.error}`);
    images[service.name] = image;
  }
  for (const [service, container] of Object.entries(record.containers)) {
    if (project.services.some((s) => s.name === service)) continue;
    progress(` Container ${container.name}  Removing`);
    await stopContainer(container);
    delete record.containers[service];
    writeProjectRecord(record);
    progress(` Container ${container.name}  Removed`);
  }
  for (const service of project.services) {
    const image = images[service.name]!;
    const hash = configHash(service, image);
    const current = record.containers[service.name];
    if (current && current.configHash === hash && isContainerRunning(current)) {
      progress(` Container ${current.name}  Running`);
      continue;
    }
    const name = `${project.name}-${service.name}-1`;
    if (current) {
      progress(` Container ${name}  Recreate`);
      await stopContainer(current);
      delete record.containers[service.name];
      writeProjectRecord(record);
      progress(` Container ${name}  Recreated`);
    } else progress(` Container ${name}  Created`);
    const behaviour = image.labels[behaviourLabel] ?? 'healthy';
    const pid = await startContainer(name, {
      image: service.image,
      digest: image.digest,
      behaviour,
      ports: service.ports,
    });
    record.containers[service.name] = {
      name,
      service: service.name,
      pid,
      image: service.image,
      digest: image.digest,
      behaviour,
      ports: service.ports,
      configHash: hash,
      createdAt: new Date().toISOString(),
    } satisfies ContainerRecord;
    writeProjectRecord(record);
    progress(` Container ${name}  Started`);
  }
}

function configHash(service: ComposeService, image: StoredImage): string {
  const config = { image: service.image, digest: image.digest, ports: service.ports, environment: service.environment };
  return createHash('sha256').update(JSON.stringify(config)).digest('hex');
}

/** Starts the container's process detached (its own process group) and waits for its first line. */
async function startContainer(
  name: string,
  config: { image: string; digest: string; behaviour: string; ports: ComposeService['ports'] },
): Promise<number> {
  mkdirSync(composeHostFiles.logs, { recursive: true });
  const log = openSync(join(composeHostFiles.logs, `${name}.log`), 'a');
  try {
    const child = spawn(process.execPath, [CONTAINER_PROCESS, name, JSON.stringify(config)], {
      detached: true,
      stdio: ['ignore', 'pipe', log],
    });
    const line = await new Promise<string>((resolve) => {
      let buffered = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        if (buffered.includes('\n')) resolve(buffered.split('\n')[0]!);
      });
      child.once('exit', (code) => resolve(buffered.split('\n')[0] || `error exited ${code} before it started`));
      child.once('error', (error) => resolve(`error ${error.message}`));
    });
    child.stdout!.destroy();
    child.unref();
    if (line.startsWith('error ')) {
      throw new ComposeUpError(`Error response from daemon: failed to start ${name}: ${line.slice('error '.length)}`);
    }
    return child.pid!;
  } finally {
    closeSync(log);
  }
}
