import {
  DeleteTaskDefinitionsCommand,
  DeregisterTaskDefinitionCommand,
  type ECSClient,
  type Failure,
} from '@aws-sdk/client-ecs';
import { mapSettled } from '../util/map-concurrent.js';
import { isEcsNotFound } from './not-found.js';
import { describeError } from '../action/explain-failure.js';

/** DeleteTaskDefinitions takes at most this many revisions per call. */
export const DELETE_TASK_DEFINITIONS_LIMIT = 10;

const ALREADY_GOING = /does not exist|DELETE_IN_PROGRESS/i;

/** A revision that is deregistered (INACTIVE, so nothing can run it) but that ECS would not delete. */
export interface UndeletedTaskDefinition {
  taskDefinition: string;
  reason: string;
}

/** What became of the revisions given to {@link deregisterAndDeleteTaskDefinitions}. */
export interface DeletedTaskDefinitions {
  /** Deregistered and now being deleted by ECS. */
  deleted: string[];
  /** Already gone (or already being deleted) before we asked. */
  alreadyGone: string[];
  /** Deregistered, but the delete was refused; a later sweep can try again. */
  notDeleted: UndeletedTaskDefinition[];
}

/** Options for {@link deregisterAndDeleteTaskDefinitions}. */
export interface DeleteTaskDefinitionsOptions {
  /** Deregister calls in flight at once; default 5. */
  concurrency?: number;
}

function isGone(error: unknown): boolean {
  return (
    isEcsNotFound(error) ||
    (error instanceof Error && error.name === 'ClientException' && ALREADY_GOING.test(error.message))
  );
}

/**
 * Deregisters each task definition revision (ARN or family:revision), then deletes them ten
 * per call. Revisions that no longer exist count as done. Every revision is attempted; failed
 * deregistrations are thrown at the end (after the others are deleted), naming each revision. Deletion is best effort: an
 * INACTIVE revision runs nothing, and some IAM policies (and emulators) lack DeleteTaskDefinitions,
 * so a refused delete is returned in `notDeleted` for the caller to report rather than thrown.
 */
export async function deregisterAndDeleteTaskDefinitions(
  ecs: ECSClient,
  taskDefinitions: readonly string[],
  options: DeleteTaskDefinitionsOptions = {},
): Promise<DeletedTaskDefinitions> {
  const unique = [...new Set(taskDefinitions)];
  const alreadyGone: string[] = [];
  const problems: string[] = [];

  const deregistered = await mapSettled(unique, options.concurrency ?? 5, async (taskDefinition) => {
    await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition }));
  });
  const toDelete: string[] = [];
  deregistered.forEach((result, i) => {
    const taskDefinition = unique[i] as string;
    if (result.status === 'fulfilled') toDelete.push(taskDefinition);
    else if (isGone(result.reason)) alreadyGone.push(taskDefinition);
    else problems.push(`${taskDefinition}: ${describeError(result.reason)}`);
  });

  const deleted: string[] = [];
  const notDeleted: UndeletedTaskDefinition[] = [];
  for (let i = 0; i < toDelete.length; i += DELETE_TASK_DEFINITIONS_LIMIT) {
    const batch = toDelete.slice(i, i + DELETE_TASK_DEFINITIONS_LIMIT);
    let failures: Failure[];
    try {
      failures = (await ecs.send(new DeleteTaskDefinitionsCommand({ taskDefinitions: batch }))).failures ?? [];
    } catch (error) {
      const reason = describeError(error);
      notDeleted.push(...batch.map((taskDefinition) => ({ taskDefinition, reason })));
      continue;
    }
    for (const taskDefinition of batch) {
      const failure = failures.find((f) => f.arn === taskDefinition || f.arn?.endsWith(`/${taskDefinition}`));
      if (!failure) deleted.push(taskDefinition);
      else if (ALREADY_GOING.test(`${failure.reason ?? ''} ${failure.detail ?? ''}`)) alreadyGone.push(taskDefinition);
      else notDeleted.push({ taskDefinition, reason: failure.reason ?? 'unknown reason' });
    }
  }
  if (problems.length > 0) throw new Error(`Could not deregister task definitions: ${problems.join('; ')}`);
  return { deleted, alreadyGone, notDeleted };
}

const ACCESS_DENIED = /not authorized|AccessDenied/i;

/**
 * The one warning for revisions ECS would not delete, from what ECS answered: each distinct reason, and the
 * missing permission only when the answer was a refusal of it.
 */
export function describeUndeletedTaskDefinitions(pr: number, notDeleted: readonly UndeletedTaskDefinition[]): string {
  const reasons = [...new Set(notDeleted.map((n) => n.reason))];
  const denied = reasons.every((reason) => ACCESS_DENIED.test(reason));
  return (
    `${notDeleted.length} task definition revision(s) of #${pr} are deregistered (nothing can run them) but not ` +
    `deleted: ${denied ? 'the role may not call ecs:DeleteTaskDefinitions' : 'ECS answered'} (${reasons.join('; ')})`
  );
}
