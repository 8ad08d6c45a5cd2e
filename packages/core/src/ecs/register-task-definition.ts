import {
  RegisterTaskDefinitionCommand,
  type ECSClient,
  type RegisterTaskDefinitionCommandInput,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import { toEcsTags } from './ecs-tags.js';

/** A freshly registered task definition revision. */
export interface RegisteredTaskDefinition {
  taskDefinitionArn: string;
  family: string;
  revision: number;
  taskDefinition: TaskDefinition;
}

/** Registers a task definition revision carrying the given tags (ownership tags, usually). */
export async function registerTaskDefinitionWithTags(
  ecs: ECSClient,
  input: Omit<RegisterTaskDefinitionCommandInput, 'tags'>,
  tags: Readonly<Record<string, string>>,
): Promise<RegisteredTaskDefinition> {
  const out = await ecs.send(new RegisterTaskDefinitionCommand({ ...input, tags: toEcsTags(tags) }));
  const taskDefinition = out.taskDefinition;
  if (!taskDefinition?.taskDefinitionArn)
    throw new Error(`RegisterTaskDefinition for ${input.family} returned no task definition`);
  return {
    taskDefinitionArn: taskDefinition.taskDefinitionArn,
    family: taskDefinition.family ?? input.family ?? '',
    revision: taskDefinition.revision ?? 0,
    taskDefinition,
  };
}
