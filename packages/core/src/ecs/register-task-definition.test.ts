import { describe, expect, it } from '@jest/globals';
import { ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { registerTaskDefinitionWithTags } from './register-task-definition.js';

describe('registerTaskDefinitionWithTags', () => {
  it('registers with the tags as an ECS tag list and returns the revision', async () => {
    const client = new ECSClient({ region: 'us-east-1' });
    const ecs = mockClient(client);
    const arn = 'arn:aws:ecs:us-east-1:1:task-definition/pr-7-api:4';
    ecs
      .on(RegisterTaskDefinitionCommand)
      .resolves({ taskDefinition: { taskDefinitionArn: arn, family: 'pr-7-api', revision: 4 } });

    const result = await registerTaskDefinitionWithTags(
      client,
      { family: 'pr-7-api', containerDefinitions: [{ name: 'app', image: 'repo@sha256:abc', memory: 256 }] },
      { 'preview-actions:managed': 'true' },
    );

    expect(result).toMatchObject({ taskDefinitionArn: arn, family: 'pr-7-api', revision: 4 });
    expect(ecs.commandCalls(RegisterTaskDefinitionCommand)[0]?.args[0].input).toEqual({
      family: 'pr-7-api',
      containerDefinitions: [{ name: 'app', image: 'repo@sha256:abc', memory: 256 }],
      tags: [{ key: 'preview-actions:managed', value: 'true' }],
    });
  });

  it('throws when ECS returns no task definition', async () => {
    const client = new ECSClient({ region: 'us-east-1' });
    mockClient(client).on(RegisterTaskDefinitionCommand).resolves({});

    await expect(
      registerTaskDefinitionWithTags(client, { family: 'pr-7-api', containerDefinitions: [] }, {}),
    ).rejects.toThrow('RegisterTaskDefinition for pr-7-api returned no task definition');
  });
});
