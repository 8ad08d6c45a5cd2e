import {
  DescribeServiceRevisionsCommand,
  ListServiceDeploymentsCommand,
  type ECSClient,
  type ServiceDeploymentBrief,
  type ServiceRevision,
} from '@aws-sdk/client-ecs';

/** What our UpdateService call is known by: when ECS says it started and what it deploys. */
export interface StartedDeploymentHint {
  cluster: string;
  service: string;
  /**
   * When the deployment started, by ECS's clock when known: the `createdAt` of the PRIMARY
   * deployment in UpdateService's answer (the runner's clock can be off by seconds).
   */
  startedAt: Date;
  /** The task definition UpdateService's PRIMARY deployment runs, when it named one. */
  taskDefinition?: string;
}

/** The service deployment our call started, with the revision it deploys. */
export interface StartedDeployment {
  serviceDeploymentArn: string;
  createdAt?: Date;
  targetServiceRevisionArn?: string;
  revision?: ServiceRevision;
}

/**
 * How far before `startedAt` a record may have been created and still be ours. ECS stamps the
 * service deployment and the PRIMARY deployment in the same request, so the two differ by far
 * less; the margin only absorbs rounding of the two timestamps.
 */
export const STARTED_AT_MARGIN_MS = 5_000;

function distance(brief: ServiceDeploymentBrief, at: number): number {
  return Math.abs((brief.createdAt?.getTime() ?? Infinity) - at);
}

/**
 * Finds the ECS service deployment an UpdateService call started. UpdateService's answer does
 * not name it, so: ListServiceDeployments for the service created after `startedAt` less a small
 * margin, DescribeServiceRevisions of their target revisions, keep those whose revision runs our
 * task definition, and take the one created closest to `startedAt`. A forced redeploy keeps the
 * task definition, so the time decides between ours and someone's deployment right after it.
 * Returns undefined when ECS lists no such deployment yet (its reads are eventually consistent).
 * Errors, including the API being absent, are thrown for the caller to judge.
 */
export async function findStartedDeployment(
  ecs: ECSClient,
  hint: StartedDeploymentHint,
): Promise<StartedDeployment | undefined> {
  const at = hint.startedAt.getTime();
  const listed = await ecs.send(
    new ListServiceDeploymentsCommand({
      cluster: hint.cluster,
      service: hint.service,
      createdAt: { after: new Date(at - STARTED_AT_MARGIN_MS) },
      maxResults: 20,
    }),
  );
  const candidates = (listed.serviceDeployments ?? []).filter((d) => d.serviceDeploymentArn);
  if (candidates.length === 0) return undefined;

  const revisionArns = [...new Set(candidates.flatMap((d) => d.targetServiceRevisionArn ?? []))];
  const revisions =
    revisionArns.length === 0
      ? []
      : ((await ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: revisionArns })))
          .serviceRevisions ?? []);
  const revisionOf = (d: ServiceDeploymentBrief) =>
    revisions.find((r) => r.serviceRevisionArn === d.targetServiceRevisionArn);
  const ours = candidates
    .filter((d) => !hint.taskDefinition || revisionOf(d)?.taskDefinition === hint.taskDefinition)
    .sort((a, b) => distance(a, at) - distance(b, at));
  const found = ours[0];
  if (!found) return undefined;
  const result: StartedDeployment = { serviceDeploymentArn: found.serviceDeploymentArn as string };
  if (found.createdAt) result.createdAt = found.createdAt;
  if (found.targetServiceRevisionArn) result.targetServiceRevisionArn = found.targetServiceRevisionArn;
  const revision = revisionOf(found);
  if (revision) result.revision = revision;
  return result;
}
