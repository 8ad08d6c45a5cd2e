import {
  ListTaskDefinitionFamiliesCommand,
  ListTaskDefinitionsCommand,
  type ECSClient,
  type TaskDefinitionStatus,
} from '@aws-sdk/client-ecs';

/** Options for {@link listTaskDefinitionArns}. */
export interface ListTaskDefinitionArnsOptions {
  /** Pages read per listing at most; default 20 (2,000 entries). */
  maxPages?: number;
}

async function listPaged(
  maxPages: number,
  page: (nextToken: string | undefined) => Promise<{ items?: string[]; nextToken?: string }>,
): Promise<string[]> {
  const items: string[] = [];
  let nextToken: string | undefined;
  for (let i = 0; i < maxPages; i++) {
    const out = await page(nextToken);
    items.push(...(out.items ?? []));
    nextToken = out.nextToken;
    if (!nextToken) break;
  }
  return items;
}

/**
 * Lists every ACTIVE and INACTIVE revision of every task definition family whose name starts
 * with `familyPrefix` (for example `pr-12-`, which does not match `pr-123-`).
 */
export async function listTaskDefinitionArns(
  ecs: ECSClient,
  familyPrefix: string,
  options: ListTaskDefinitionArnsOptions = {},
): Promise<string[]> {
  const maxPages = options.maxPages ?? 20;
  const families = await listPaged(maxPages, async (nextToken) => {
    const out = await ecs.send(new ListTaskDefinitionFamiliesCommand({ familyPrefix, status: 'ALL', nextToken }));
    return { items: out.families, nextToken: out.nextToken };
  });
  const arns: string[] = [];
  for (const family of families.filter((f) => f.startsWith(familyPrefix))) {
    for (const status of ['ACTIVE', 'INACTIVE'] satisfies TaskDefinitionStatus[]) {
      arns.push(
        ...(await listPaged(maxPages, async (nextToken) => {
          const out = await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: family, status, nextToken }));
          return { items: out.taskDefinitionArns, nextToken: out.nextToken };
        })),
      );
    }
  }
  return [...new Set(arns)];
}
