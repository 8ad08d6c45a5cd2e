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

/** An image a service revision records: the container and the digest ECS resolved its tag to. */
export interface RecordedImage {
  containerName?: string;
  image?: string;
  imageDigest?: string;
}

/** Whether a service revision deploys the image we promoted: yes, no, or ECS recorded no digest. */
export interface RecordedDigestVerdict {
  state: 'match' | 'mismatch' | 'unrecorded';
  reason: string;
  seen: string[];
}

/**
 * Compares the digests ECS recorded in a service revision (`containerImages`, resolved from the
 * task definition's tag when the deployment started) with the digests we accept: the promoted
 * digest first, then, for a multi-architecture image, its platform manifests. ECS resolves a tag
 * to what the registry answers for it, which for an index is the index digest; a platform
 * digest is accepted as well so a registry or agent that reports the pulled platform image is not
 * called a mismatch. With `containerName` only that container counts; without it, any container
 * whose digest is accepted makes a match (a sidecar runs another image). A revision that records
 * no digest for the relevant containers is `unrecorded`: the caller warns and decides by the
 * deployment's status instead of waiting for a digest that will not come.
 */
export function judgeRecordedDigests(
  images: readonly RecordedImage[],
  accepted: readonly string[],
  containerName?: string,
): RecordedDigestVerdict {
  const relevant = containerName ? images.filter((i) => i.containerName === containerName) : images;
  const seen = [...new Set(relevant.flatMap((i) => i.imageDigest ?? []))];
  const where = containerName ? ` for container ${containerName}` : '';
  const expected = accepted[0] ?? '';
  if (containerName && relevant.length === 0) {
    return { state: 'mismatch', reason: `the service revision has no container named ${containerName}`, seen };
  }
  const hit = seen.find((d) => accepted.includes(d));
  if (hit) {
    const how = hit === expected ? hit : `${hit} (a platform image of ${expected})`;
    return { state: 'match', reason: `the service revision records ${how}${where}`, seen };
  }
  if (seen.length === 0) {
    return { state: 'unrecorded', reason: `the service revision records no image digest${where}`, seen };
  }
  return {
    state: 'mismatch',
    reason: `the service revision records ${seen.join(', ')}${where}, not ${expected}`,
    seen,
  };
}
