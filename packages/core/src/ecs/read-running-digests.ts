import type { ECSClient } from '@aws-sdk/client-ecs';
import { mapConcurrent } from '../util/map-concurrent.js';
import { listServiceTasks } from './list-service-tasks.js';
import { readServiceName } from './service-name.js';

/** One container of a running task and the image digest ECS resolved for it (absent until the image is pulled). */
export interface RunningContainer {
  name?: string;
  image?: string;
  imageDigest?: string;
}

/** A task whose desired status is RUNNING (its last status may still be PENDING). */
export interface RunningTask {
  taskArn: string;
  lastStatus?: string;
  /** For service tasks ECS sets this to the deployment id. */
  startedBy?: string;
  taskDefinitionArn?: string;
  containers: RunningContainer[];
}

/** The running tasks of one service. */
export interface ServiceDigests {
  service: string;
  tasks: RunningTask[];
}

/** Options for {@link readRunningDigests}. */
export interface ReadRunningDigestsOptions {
  /** Services read at once; default 4. */
  concurrency?: number;
  /** Tasks read per service at most; default 300. */
  maxTasksPerService?: number;
}

/**
 * Reads which image digests each service is really running: ListTasks (desired status
 * RUNNING) per service, then DescribeTasks 100 at a time. Result follows the input order.
 */
export async function readRunningDigests(
  ecs: ECSClient,
  cluster: string,
  services: readonly string[],
  options: ReadRunningDigestsOptions = {},
): Promise<ServiceDigests[]> {
  return mapConcurrent(services, options.concurrency ?? 4, async (nameOrArn) => {
    const service = readServiceName(nameOrArn);
    const tasks = await listServiceTasks(ecs, cluster, service, 'RUNNING', {
      maxTasks: options.maxTasksPerService ?? 300,
    });
    return {
      service,
      tasks: tasks.map((task) => ({
        taskArn: task.taskArn ?? '',
        lastStatus: task.lastStatus,
        startedBy: task.startedBy,
        taskDefinitionArn: task.taskDefinitionArn,
        containers: (task.containers ?? []).map((c) => ({ name: c.name, image: c.image, imageDigest: c.imageDigest })),
      })),
    };
  });
}
