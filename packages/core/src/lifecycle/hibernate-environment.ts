import { TagResourceCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { stopService } from '../ecs/delete-service.js';
import { toEcsTags } from '../ecs/ecs-tags.js';
import { isEcsNotFound } from '../ecs/not-found.js';
import { OWNERSHIP_TAG_KEYS } from '../preview/ownership-tags.js';
import { mapEachOrThrow } from '../util/map-concurrent.js';
import type { PreviewEnvironment } from './preview-environment.js';
import { describeError } from '../action/explain-failure.js';

/**
 * Hibernates an environment: every service is scaled to 0 (unless it already is) and then tagged hibernated-at, so
 * a crash in between leaves a service the next sweep simply hibernates again. Returns the services
 * scaled; throws naming every service that failed.
 */
export async function hibernateEnvironment(
  ecs: ECSClient,
  cluster: string,
  env: PreviewEnvironment,
  now: Date,
): Promise<number> {
  await mapEachOrThrow(
    env.services,
    4,
    'hibernate',
    (service) => service.name,
    async (service) => {
      if ((await stopService(ecs, cluster, service)) === 'already-gone') return;
      try {
        await ecs.send(
          new TagResourceCommand({
            resourceArn: service.arn,
            tags: toEcsTags({ [OWNERSHIP_TAG_KEYS.hibernatedAt]: now.toISOString() }),
          }),
        );
      } catch (error) {
        if (!isEcsNotFound(error)) throw error;
      }
    },
    describeError,
  );
  return env.services.length;
}
