import { copyManifest } from './copy-manifest.js';
import type { ManifestStore } from './manifest-store.js';

/** What restoring one environment tag did. */
export type RestoreOutcome =
  | { state: 'restored' }
  /** The tag already held the previous digest. */
  | { state: 'already' }
  /** Someone moved the tag since this run did; it is left alone. */
  | { state: 'moved-by-someone-else'; holds: string | null };

/**
 * Points an environment tag back at the digest it held before this run, but only if it still
 * holds the digest this run put there (compare, then swap): a tag someone moved meanwhile (a
 * newer promotion, a manual fix) is theirs and is left alone.
 *
 * A race window remains between the HEAD that compares and the PUT that swaps: neither the OCI
 * distribution API nor ECR's PutImage accepts a precondition on the tag's current digest, so
 * the check cannot be made atomic. The window is one registry round trip (typically tens of
 * milliseconds), against promotions that take minutes, so a collision needs two writers within
 * that round trip.
 * @throws Error when the previous manifest no longer exists (it was deleted).
 */
export async function restoreEnvTag(
  store: ManifestStore,
  repository: string,
  tag: string,
  ours: string,
  previous: string,
): Promise<RestoreOutcome> {
  const current = await store.headManifest(repository, tag);
  if (current?.digest === previous) return { state: 'already' };
  if (current?.digest !== ours) return { state: 'moved-by-someone-else', holds: current?.digest ?? null };
  const manifest = await store.getManifest(repository, previous);
  if (!manifest) {
    throw new Error(`Cannot roll back ${store.host}/${repository}:${tag}: its previous manifest ${previous} is gone`);
  }
  await copyManifest(store, repository, tag, manifest);
  return { state: 'restored' };
}
