import {
  DescribeTasksCommand,
  ListTasksCommand,
  type DesiredStatus,
  type ECSClient,
  type Task,
} from '@aws-sdk/client-ecs';

/** DescribeTasks takes at most this many tasks per call. */
export const DESCRIBE_TASKS_LIMIT = 100;

/** Options for {@link listServiceTasks}. */
export interface ListServiceTasksOptions {
  /** Stop after this many tasks; default 300. */
  maxTasks?: number;
}

/**
 * Lists and describes the tasks of one service with the given desired status: ListTasks
 * page by page (bounded by `maxTasks`), then DescribeTasks 100 at a time.
 */
export async function listServiceTasks(
  ecs: ECSClient,
  cluster: string,
  serviceName: string,
  desiredStatus: DesiredStatus,
  options: ListServiceTasksOptions = {},
): Promise<Task[]> {
  const maxTasks = Math.max(1, options.maxTasks ?? 300);
  const arns: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await ecs.send(
      new ListTasksCommand({
        cluster,
        serviceName,
        desiredStatus,
        nextToken,
        maxResults: Math.min(100, maxTasks - arns.length),
      }),
    );
    arns.push(...(page.taskArns ?? []));
    nextToken = page.nextToken;
  } while (nextToken && arns.length < maxTasks);

  const tasks: Task[] = [];
  for (let i = 0; i < arns.length && i < maxTasks; i += DESCRIBE_TASKS_LIMIT) {
    const chunk = arns.slice(i, Math.min(i + DESCRIBE_TASKS_LIMIT, maxTasks));
    const out = await ecs.send(new DescribeTasksCommand({ cluster, tasks: chunk }));
    tasks.push(...(out.tasks ?? []));
  }
  return tasks;
}
