import type { RunningContainer, RunningTask } from './read-running-digests.js';

/** Whether the tasks run the image we promoted: yes, not known yet, or no. */
export interface DigestVerdict {
  state: 'match' | 'pending' | 'mismatch';
  reason: string;
  /** Digests seen on the running tasks' relevant containers. */
  seen: string[];
}

function relevantContainers(task: RunningTask, containerName: string | undefined): RunningContainer[] {
  return containerName ? task.containers.filter((c) => c.name === containerName) : task.containers;
}

/**
 * Compares the digests of tasks whose last status is RUNNING with the expected one. A task
 * matches when its named container (or, unnamed, any container) runs the expected digest.
 * No running task yet, or a relevant container without a digest, is pending; a task whose
 * every relevant digest is known and different is a mismatch.
 */
export function judgeRunningDigests(
  tasks: readonly RunningTask[],
  expected: string,
  containerName?: string,
): DigestVerdict {
  const running = tasks.filter((t) => t.lastStatus === 'RUNNING');
  const seen = [
    ...new Set(running.flatMap((t) => relevantContainers(t, containerName).flatMap((c) => c.imageDigest ?? []))),
  ];
  if (running.length === 0) return { state: 'pending', reason: 'no task is RUNNING yet', seen };

  let unresolved = 0;
  const wrong: string[] = [];
  const where = containerName ? ` in container ${containerName}` : '';
  for (const task of running) {
    const containers = relevantContainers(task, containerName);
    const id = task.taskArn.split('/').pop() ?? task.taskArn;
    if (containers.length === 0 && containerName) {
      return { state: 'mismatch', reason: `task ${id} has no container named ${containerName}`, seen };
    }
    if (containers.some((c) => c.imageDigest === expected)) continue;
    if (containers.length === 0 || containers.some((c) => c.imageDigest === undefined)) unresolved++;
    else wrong.push(id);
  }
  if (wrong.length > 0) {
    return {
      state: 'mismatch',
      reason: `task(s) ${wrong.join(', ')} run ${seen.filter((d) => d !== expected).join(', ')}${where}, not ${expected}`,
      seen,
    };
  }
  if (unresolved > 0)
    return { state: 'pending', reason: `${unresolved} running task(s) report no image digest${where} yet`, seen };
  return { state: 'match', reason: `all ${running.length} running task(s) run ${expected}`, seen };
}
