import {
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  ListServiceDeploymentsCommand,
  type ECSClient,
} from '@aws-sdk/client-ecs';

/**
 * The image digest ECS recorded in the revision a service runs now: the newest service deployment's target, or
 * its source revision once that deployment rolled back. What a test checks a promotion (or its rollback) against.
 */
export async function readRunningRevisionDigest(
  ecs: ECSClient,
  cluster: string,
  service: string,
): Promise<string | undefined> {
  const { serviceDeployments } = await ecs.send(new ListServiceDeploymentsCommand({ cluster, service }));
  const newest = serviceDeployments?.[0]?.serviceDeploymentArn;
  if (!newest) return undefined;
  const described = await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [newest] }));
  const deployment = described.serviceDeployments?.[0];
  const revisionArn =
    deployment?.status === 'ROLLBACK_SUCCESSFUL'
      ? deployment.sourceServiceRevisions?.[0]?.arn
      : deployment?.targetServiceRevision?.arn;
  if (!revisionArn) return undefined;
  const { serviceRevisions } = await ecs.send(
    new DescribeServiceRevisionsCommand({ serviceRevisionArns: [revisionArn] }),
  );
  return serviceRevisions?.[0]?.containerImages?.[0]?.imageDigest;
}
