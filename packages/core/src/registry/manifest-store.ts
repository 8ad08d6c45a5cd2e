/** What a registry says about a manifest without sending it. */
export interface ManifestDescriptor {
  digest: string;
  mediaType: string;
  /** Byte size of the manifest when the registry reports it. */
  size?: number;
}

/** A manifest exactly as stored: copying means writing these bytes with this media type. */
export interface Manifest extends ManifestDescriptor {
  bytes: Buffer;
}

/**
 * The manifest operations promotion and tag checks need, implemented for OCI registries
 * (over the distribution API) and for ECR (over its SDK). `reference` is a tag or a digest.
 */
export interface ManifestStore {
  readonly type: 'oci' | 'ecr';
  /** Registry host, e.g. `ghcr.io`; used in messages. */
  readonly host: string;
  /** Digest and media type of a manifest, or null when it does not exist. One request. */
  headManifest(repository: string, reference: string): Promise<ManifestDescriptor | null>;
  /** The manifest bytes, or null when it does not exist. One request. */
  getManifest(repository: string, reference: string): Promise<Manifest | null>;
  /**
   * Writes the exact bytes under `tag` with their media type and returns the digest the
   * registry computed. Writing a tag that already holds these bytes succeeds. One request.
   */
  putManifest(repository: string, tag: string, manifest: Manifest): Promise<string>;
}
