import { mapConcurrent } from '../util/map-concurrent.js';
import type { Manifest, ManifestStore } from './manifest-store.js';
import { isIndexMediaType } from './media-types.js';
import { RegistryError } from './registry-error.js';

/** A child of an index: a platform image or an attestation manifest. */
export interface IndexChild {
  digest: string;
  mediaType: string;
  platform?: { os?: string; architecture?: string; variant?: string };
}

/** The children listed by an index, or none for a single manifest. */
export function readIndexChildren(manifest: Manifest): IndexChild[] {
  if (!isIndexMediaType(manifest.mediaType)) return [];
  const parsed = JSON.parse(manifest.bytes.toString('utf8')) as { manifests?: IndexChild[] };
  return (parsed.manifests ?? []).filter((c) => typeof c.digest === 'string');
}

/**
 * Checks that every child of an index (attestations included) resolves in the repository, one HEAD
 * each. Returns the child digests checked; a single manifest has none.
 * @throws RegistryError with code CHILD_MISSING naming the missing digests.
 */
export async function verifyIndexChildren(
  store: ManifestStore,
  repository: string,
  manifest: Manifest,
  concurrency = 8,
): Promise<string[]> {
  const children = readIndexChildren(manifest);
  const found = await mapConcurrent(children, concurrency, (child) => store.headManifest(repository, child.digest));
  const missing = children.filter((_, i) => found[i] === null).map((c) => c.digest);
  if (missing.length > 0) {
    throw new RegistryError(
      {
        image: `${store.host}/${repository}@${manifest.digest}`,
        operation: 'verify the children of',
        code: 'CHILD_MISSING',
      },
      `${missing.length} of ${children.length} missing: ${missing.join(', ')}`,
    );
  }
  return children.map((c) => c.digest);
}
