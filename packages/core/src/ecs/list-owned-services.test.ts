import { describe, expect, it } from '@jest/globals';
import { DescribeServicesCommand, ECSClient, ListServicesCommand, type Service } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { createOwnershipTags } from '../preview/ownership-tags.js';
import { toEcsTags } from './ecs-tags.js';
import { listOwnedServices } from './list-owned-services.js';

const arn = (name: string) => `arn:aws:ecs:us-east-1:1:service/c1/${name}`;

function svc(name: string, status: string, tags: Record<string, string>): Service {
  return { serviceName: name, serviceArn: arn(name), status, tags: toEcsTags(tags) };
}

describe('listOwnedServices', () => {
  it('pages ListServices, describes with tags, and keeps only live services we own', async () => {
    const client = new ECSClient({ region: 'us-east-1' });
    const ecs = mockClient(client);
    ecs
      .on(ListServicesCommand)
      .callsFake(async (input: { nextToken?: string }) =>
        input.nextToken === 'p2'
          ? { serviceArns: [arn('other-repo'), arn('hand-made'), arn('pr-7-going')] }
          : { serviceArns: [arn('pr-7-api'), arn('pr-7-old'), arn('pr-8-api')], nextToken: 'p2' },
      );
    const mine = (pr: number) => createOwnershipTags({ repo: 'Acme/Shop', pr });
    const all = [
      svc('pr-7-api', 'ACTIVE', mine(7)),
      svc('pr-7-old', 'INACTIVE', mine(7)),
      svc('pr-8-api', 'ACTIVE', mine(8)),
      svc('other-repo', 'ACTIVE', createOwnershipTags({ repo: 'acme/blog', pr: 7 })),
      svc('hand-made', 'ACTIVE', { 'preview-actions:pr': '7' }),
      svc('pr-7-going', 'DRAINING', mine(7)),
    ];
    ecs.on(DescribeServicesCommand).callsFake(async (input: { services: string[] }) => ({
      services: all.filter((s) => input.services.includes(s.serviceArn as string)),
    }));

    const forRepo = await listOwnedServices(client, 'c1', { repo: 'acme/shop' });
    const forPr = await listOwnedServices(client, 'c1', { repo: 'acme/shop', pr: 7 });

    expect(forRepo.map((d) => [d.name, d.status])).toEqual([
      ['pr-7-api', 'ACTIVE'],
      ['pr-8-api', 'ACTIVE'],
      ['pr-7-going', 'DRAINING'],
    ]);
    expect(forPr.map((d) => d.name)).toEqual(['pr-7-api', 'pr-7-going']);
    expect(ecs.commandCalls(ListServicesCommand)[1]?.args[0].input).toMatchObject({ cluster: 'c1', nextToken: 'p2' });
  });

  it('reads no more than the page bound', async () => {
    const client = new ECSClient({ region: 'us-east-1' });
    const ecs = mockClient(client);
    ecs.on(ListServicesCommand).resolves({ serviceArns: [], nextToken: 'forever' });

    expect(await listOwnedServices(client, 'c1', { repo: 'acme/shop' }, { maxPages: 3 })).toEqual([]);
    expect(ecs.commandCalls(ListServicesCommand)).toHaveLength(3);
  });
});
