import { DescribeRepositoriesCommand, type ECRClient } from '@aws-sdk/client-ecr';

/**
 * True when any of the ECR repositories refuses to overwrite tags. Repositories with exclusion
 * filters (`*_WITH_EXCLUSION`) count as mutable: the filter decides per tag, and the push says.
 */
export async function readEcrTagImmutability(
  ecr: ECRClient,
  registryId: string,
  repositories: readonly string[],
): Promise<boolean> {
  const { repositories: found = [] } = await ecr.send(
    new DescribeRepositoriesCommand({ registryId, repositoryNames: [...new Set(repositories)] }),
  );
  return found.some((r) => r.imageTagMutability === 'IMMUTABLE');
}
