import { DeleteServiceCommand, UpdateServiceCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { describeServicesBatched } from './describe-services.js';
import { isEcsNotFound } from './not-found.js';

/** `deleted`: we asked ECS to delete it; `already-gone`: it was missing, INACTIVE or already DRAINING. */
export type DeleteServiceResult = 'deleted' | 'already-gone';

/**
 * Deletes a service the careful way: scale it to 0 (unless it already is), then DeleteService
 * without force, so ECS drains it like any scale-in. It describes the service first, because not
 * every ECS implementation refuses to update an INACTIVE service; one that is missing, INACTIVE or
 * DRAINING, then or at either step, is done.
 */
export async function deleteServiceSafely(
  ecs: ECSClient,
  cluster: string,
  service: string,
): Promise<DeleteServiceResult> {
  const [described] = await describeServicesBatched(ecs, cluster, [service]);
  if (described?.status !== 'ACTIVE') return 'already-gone';
  try {
    if (described.service?.desiredCount !== 0) {
      await ecs.send(new UpdateServiceCommand({ cluster, service, desiredCount: 0 }));
    }
    await ecs.send(new DeleteServiceCommand({ cluster, service, force: false }));
    return 'deleted';
  } catch (error) {
    if (isEcsNotFound(error)) return 'already-gone';
    throw error;
  }
}

/**
 * Scales a service to 0 tasks, so it stops costing and logging; `desiredCount` is what discovery
 * last saw, and a service already at 0 is not written to. `already-gone` when ECS no longer has it
 * active.
 */
export async function stopService(
  ecs: ECSClient,
  cluster: string,
  service: { name: string; desiredCount: number },
): Promise<'stopped' | 'already-gone'> {
  if (service.desiredCount === 0) return 'stopped';
  try {
    await ecs.send(new UpdateServiceCommand({ cluster, service: service.name, desiredCount: 0 }));
    return 'stopped';
  } catch (error) {
    if (isEcsNotFound(error)) return 'already-gone';
    throw error;
  }
}
