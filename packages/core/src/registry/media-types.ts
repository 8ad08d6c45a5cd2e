/** OCI image manifest (one platform). */
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
/** OCI image index (several platforms, attestations). */
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
/** Docker image manifest, schema 2. */
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
/** Docker manifest list, schema 2. */
export const DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';

/** Every manifest media type this layer reads and copies, in the order we ask for them. */
export const MANIFEST_MEDIA_TYPES: readonly string[] = [OCI_INDEX, OCI_MANIFEST, DOCKER_MANIFEST_LIST, DOCKER_MANIFEST];

/**
 * The Accept header for manifest requests. Without the index types a registry may answer
 * with one platform's manifest (or convert it), and the copied digest would differ.
 */
export const MANIFEST_ACCEPT = MANIFEST_MEDIA_TYPES.join(', ');

/** True for a media type that lists other manifests (an OCI index or a Docker manifest list). */
export function isIndexMediaType(mediaType: string): boolean {
  return mediaType === OCI_INDEX || mediaType === DOCKER_MANIFEST_LIST;
}

/**
 * The media type of manifest bytes when the registry did not say (or said something generic):
 * the `mediaType` field when present, else an index when it has `manifests`, else an OCI manifest.
 */
export function detectManifestMediaType(bytes: Uint8Array, declared?: string | null): string {
  const clean = declared?.split(';')[0]?.trim();
  if (clean && MANIFEST_MEDIA_TYPES.includes(clean)) return clean;
  try {
    const parsed = JSON.parse(Buffer.from(bytes).toString('utf8')) as { mediaType?: unknown; manifests?: unknown };
    if (typeof parsed.mediaType === 'string' && parsed.mediaType !== '') return parsed.mediaType;
    return Array.isArray(parsed.manifests) ? OCI_INDEX : OCI_MANIFEST;
  } catch {
    return clean || OCI_MANIFEST;
  }
}
