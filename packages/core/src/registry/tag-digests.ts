import { mapConcurrent } from '../util/map-concurrent.js';
import type { ManifestDescriptor, ManifestStore } from './manifest-store.js';
import { RegistryError } from './registry-error.js';

/** What each tag of a repository points at now (null: the tag does not exist). One HEAD per tag. */
export async function readTagDigests(
  store: ManifestStore,
  repository: string,
  tags: readonly string[],
  concurrency = 8,
): Promise<Map<string, ManifestDescriptor | null>> {
  const found = await mapConcurrent(tags, concurrency, (tag) => store.headManifest(repository, tag));
  return new Map(tags.map((tag, i) => [tag, found[i] ?? null]));
}

/**
 * Checks that every tag resolves to `digest` (after a push, to prove all tags name one image).
 * @throws RegistryError with code TAG_MISMATCH naming each tag that is missing or points elsewhere.
 */
export async function verifyTagsResolveTo(
  store: ManifestStore,
  repository: string,
  tags: readonly string[],
  digest: string,
): Promise<void> {
  const found = await readTagDigests(store, repository, tags);
  const wrong = [...found]
    .filter(([, d]) => d?.digest !== digest)
    .map(([tag, d]) => `${tag} → ${d?.digest ?? 'missing'}`);
  if (wrong.length > 0) {
    throw new RegistryError(
      { image: `${store.host}/${repository}`, operation: 'verify the tags of', code: 'TAG_MISMATCH' },
      `expected ${digest}: ${wrong.join(', ')}`,
    );
  }
}
