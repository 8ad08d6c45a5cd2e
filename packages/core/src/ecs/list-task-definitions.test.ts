import { describe, expect, it } from '@jest/globals';
import { ECSClient, ListTaskDefinitionFamiliesCommand, ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { listTaskDefinitionArns } from './list-task-definitions.js';

const td = (family: string, rev: number) => `arn:aws:ecs:us-east-1:1:task-definition/${family}:${rev}`;

describe('listTaskDefinitionArns', () => {
  it('lists ACTIVE and INACTIVE revisions of every family with the prefix, paging both listings', async () => {
    const client = new ECSClient({ region: 'us-east-1' });
    const ecs = mockClient(client);
    ecs
      .on(ListTaskDefinitionFamiliesCommand)
      .callsFake(async (input: { nextToken?: string }) =>
        input.nextToken ? { families: ['pr-12-worker'] } : { families: ['pr-12-api', 'pr-123-api'], nextToken: 'f2' },
      );
    ecs
      .on(ListTaskDefinitionsCommand)
      .callsFake(async (input: { familyPrefix: string; status: string; nextToken?: string }) => {
        if (input.familyPrefix === 'pr-12-api' && input.status === 'ACTIVE') {
          return input.nextToken
            ? { taskDefinitionArns: [td('pr-12-api', 3)] }
            : { taskDefinitionArns: [td('pr-12-api', 2)], nextToken: 't2' };
        }
        if (input.familyPrefix === 'pr-12-api') return { taskDefinitionArns: [td('pr-12-api', 1)] };
        return { taskDefinitionArns: input.status === 'ACTIVE' ? [td(input.familyPrefix, 1)] : [] };
      });

    const arns = await listTaskDefinitionArns(client, 'pr-12-');

    expect(arns).toEqual([td('pr-12-api', 2), td('pr-12-api', 3), td('pr-12-api', 1), td('pr-12-worker', 1)]);
    expect(ecs.commandCalls(ListTaskDefinitionFamiliesCommand)[0]?.args[0].input).toMatchObject({
      familyPrefix: 'pr-12-',
      status: 'ALL',
    });
    expect(
      ecs.commandCalls(ListTaskDefinitionsCommand).some((c) => c.args[0].input.familyPrefix === 'pr-123-api'),
    ).toBe(false);
  });

  it('stops paging at the bound', async () => {
    const client = new ECSClient({ region: 'us-east-1' });
    const ecs = mockClient(client);
    ecs.on(ListTaskDefinitionFamiliesCommand).resolves({ families: [], nextToken: 'again' });

    expect(await listTaskDefinitionArns(client, 'pr-1-', { maxPages: 2 })).toEqual([]);
    expect(ecs.commandCalls(ListTaskDefinitionFamiliesCommand)).toHaveLength(2);
  });
});
