import type { Manifest, ManifestStore } from './manifest-store.js';
import { RegistryError } from './registry-error.js';

/**
 * Writes the exact manifest bytes under `tag` (never re-encoded, never wrapped in a new index)
 * and checks the registry stored them under the source digest.
 * @throws RegistryError with code DIGEST_MISMATCH when the registry reports another digest.
 */
export async function copyManifest(
  store: ManifestStore,
  repository: string,
  tag: string,
  manifest: Manifest,
): Promise<string> {
  const written = await store.putManifest(repository, tag, manifest);
  if (written !== manifest.digest) {
    throw new RegistryError(
      { image: `${store.host}/${repository}:${tag}`, operation: 'copy manifest to', code: 'DIGEST_MISMATCH' },
      `the registry stored ${written}, the source is ${manifest.digest}`,
    );
  }
  return written;
}
