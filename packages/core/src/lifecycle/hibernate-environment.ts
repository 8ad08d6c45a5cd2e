import { TagResourceCommand, UpdateServiceCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { toEcsTags } from '../ecs/ecs-tags.js';
import { isEcsNotFound } from '../ecs/not-found.js';
import { OWNERSHIP_TAG_KEYS } from '../preview/ownership-tags.js';
import { mapSettled } from '../util/map-concurrent.js';
import type { PreviewEnvironment } from './preview-environment.js';
import { describeError } from '../action/explain-failure.js';

/**
 * Hibernates an environment: every service is scaled to 0 first and then tagged hibernated-at, so
 * a crash in between leaves a service the next sweep simply hibernates again. Returns the services
 * scaled; throws naming every service that failed.
 */
export async function hibernateEnvironment(
  ecs: ECSClient,
  cluster: string,
  env: PreviewEnvironment,
  now: Date,
): Promise<number> {
  const settled = await mapSettled(env.services, 4, async (service) => {
    try {
      await ecs.send(new UpdateServiceCommand({ cluster, service: service.name, desiredCount: 0 }));
      await ecs.send(
        new TagResourceCommand({
          resourceArn: service.arn,
          tags: toEcsTags({ [OWNERSHIP_TAG_KEYS.hibernatedAt]: now.toISOString() }),
        }),
      );
    } catch (error) {
      if (!isEcsNotFound(error)) throw error;
    }
  });
  const failed = settled.flatMap((r, i) =>
    r.status === 'rejected' ? [`${env.services[i]?.name}: ${describeError(r.reason)}`] : [],
  );
  if (failed.length > 0) throw new Error(`Could not hibernate: ${failed.join('; ')}`);
  return env.services.length;
}
