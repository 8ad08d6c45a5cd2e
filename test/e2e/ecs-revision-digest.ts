import {
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  ListServiceDeploymentsCommand,
  type ECSClient,
} from '@aws-sdk/client-ecs';

/**
 * The image digest of the revision a service runs now, as ECS records it: the newest service deployment's
 * target once settled, or its source revision when that deployment was rolled back.
 */
export async function readRunningRevisionDigest(
  ecs: ECSClient,
  cluster: string,
  service: string,
): Promise<string | undefined> {
  const { serviceDeployments } = await ecs.send(new ListServiceDeploymentsCommand({ cluster, service }));
  const newest = serviceDeployments?.[0]?.serviceDeploymentArn;
  const described = await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [newest!] }));
  const deployment = described.serviceDeployments?.[0];
  // A rolled-back deployment runs its source revision again; any other settled one runs its target.
  const rolledBack = deployment?.status === 'ROLLBACK_SUCCESSFUL';
  const revisionArn = rolledBack
    ? deployment?.sourceServiceRevisions?.[0]?.arn
    : deployment?.targetServiceRevision?.arn;
  const { serviceRevisions } = await ecs.send(
    new DescribeServiceRevisionsCommand({ serviceRevisionArns: [revisionArn!] }),
  );
  return serviceRevisions?.[0]?.containerImages?.[0]?.imageDigest;
}
