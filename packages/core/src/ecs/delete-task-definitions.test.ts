import { describe, expect, it } from '@jest/globals';
import {
  ClientException,
  DeleteTaskDefinitionsCommand,
  DeregisterTaskDefinitionCommand,
  ECSClient,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { deregisterAndDeleteTaskDefinitions, describeUndeletedTaskDefinitions } from './delete-task-definitions.js';

const td = (i: number) => `arn:aws:ecs:us-east-1:1:task-definition/pr-7-api:${i}`;

describe('deregisterAndDeleteTaskDefinitions', () => {
  it('deregisters every revision, then deletes them ten per call', async () => {
    const client = new ECSClient({ region: 'us-east-1' });
    const ecs = mockClient(client);
    ecs.on(DeregisterTaskDefinitionCommand).resolves({});
    ecs.on(DeleteTaskDefinitionsCommand).resolves({ failures: [] });
    const all = Array.from({ length: 12 }, (_, i) => td(i + 1));

    const result = await deregisterAndDeleteTaskDefinitions(client, all);

    expect(result).toEqual({ deleted: all, alreadyGone: [], notDeleted: [] });
    expect(ecs.commandCalls(DeregisterTaskDefinitionCommand)).toHaveLength(12);
    expect(ecs.commandCalls(DeleteTaskDefinitionsCommand).map((c) => c.args[0].input.taskDefinitions?.length)).toEqual([
      10, 2,
    ]);
  });

  it('counts revisions that no longer exist as done, at either step', async () => {
    const client = new ECSClient({ region: 'us-east-1' });
    const ecs = mockClient(client);
    ecs
      .on(DeregisterTaskDefinitionCommand, { taskDefinition: td(1) })
      .rejects(new ClientException({ message: 'Unable to describe task definition.', $metadata: {} }))
      .on(DeregisterTaskDefinitionCommand, { taskDefinition: td(2) })
      .resolves({})
      .on(DeregisterTaskDefinitionCommand, { taskDefinition: 'pr-7-api:3' })
      .resolves({});
    ecs.on(DeleteTaskDefinitionsCommand).resolves({
      failures: [
        {
          arn: td(3),
          reason:
            'The specified task definition does not exist. Specify a valid account, family, revision and try again.',
        },
      ],
    });

    const result = await deregisterAndDeleteTaskDefinitions(client, [td(1), td(2), 'pr-7-api:3']);

    expect(result).toEqual({ deleted: [td(2)], alreadyGone: [td(1), 'pr-7-api:3'], notDeleted: [] });
    expect(ecs.commandCalls(DeleteTaskDefinitionsCommand)[0]?.args[0].input.taskDefinitions).toEqual([
      td(2),
      'pr-7-api:3',
    ]);
  });

  it('deletes what it could deregister, then throws naming each revision it could not deregister', async () => {
    const client = new ECSClient({ region: 'us-east-1' });
    const ecs = mockClient(client);
    ecs
      .on(DeregisterTaskDefinitionCommand, { taskDefinition: td(1) })
      .rejects(new Error('AccessDenied'))
      .on(DeregisterTaskDefinitionCommand, { taskDefinition: td(2) })
      .resolves({});
    ecs.on(DeleteTaskDefinitionsCommand).resolves({});

    await expect(deregisterAndDeleteTaskDefinitions(client, [td(1), td(2)])).rejects.toThrow(
      `Could not deregister task definitions: ${td(1)}: AccessDenied`,
    );
    expect(ecs.commandCalls(DeregisterTaskDefinitionCommand)).toHaveLength(2);
    expect(ecs.commandCalls(DeleteTaskDefinitionsCommand)[0]?.args[0].input.taskDefinitions).toEqual([td(2)]);
  });

  it('reports refused deletes (per revision or the whole call) as notDeleted instead of failing the cleanup', async () => {
    const client = new ECSClient({ region: 'us-east-1' });
    const ecs = mockClient(client);
    ecs.on(DeregisterTaskDefinitionCommand).resolves({});
    ecs
      .on(DeleteTaskDefinitionsCommand)
      .resolvesOnce({ failures: [{ arn: td(2), reason: 'still in use by a service' }] })
      .rejects(new Error('not authorized to perform: ecs:DeleteTaskDefinitions'));
    const all = Array.from({ length: 11 }, (_, i) => td(i + 1));

    const result = await deregisterAndDeleteTaskDefinitions(client, all);

    expect(result.deleted).toEqual(all.slice(0, 10).filter((t) => t !== td(2)));
    expect(result.notDeleted).toEqual([
      { taskDefinition: td(2), reason: 'still in use by a service' },
      { taskDefinition: td(11), reason: 'not authorized to perform: ecs:DeleteTaskDefinitions' },
    ]);
  });
});

describe('describeUndeletedTaskDefinitions', () => {
  it('names the permission only when ECS refused it', () => {
    const denied = 'User is not authorized to perform: ecs:DeleteTaskDefinitions';
    expect(describeUndeletedTaskDefinitions(7, [{ taskDefinition: 'pr-7-api:1', reason: denied }])).toBe(
      `1 task definition revision(s) of #7 are deregistered (nothing can run them) but not deleted: the role may not call ecs:DeleteTaskDefinitions (${denied})`,
    );
  });

  it('otherwise says what ECS answered, each reason once, and guesses no cause', () => {
    const message = describeUndeletedTaskDefinitions(7, [
      { taskDefinition: 'pr-7-api:1', reason: 'still in use' },
      { taskDefinition: 'pr-7-api:2', reason: 'still in use' },
      { taskDefinition: 'pr-7-web:1', reason: 'throttled' },
    ]);
    expect(message).toBe(
      '3 task definition revision(s) of #7 are deregistered (nothing can run them) but not deleted: ECS answered (still in use; throttled)',
    );
    expect(message).not.toContain('ecs:DeleteTaskDefinitions');
  });
});
