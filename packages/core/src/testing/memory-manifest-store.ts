import { sha256Digest } from '../registry/digest.js';
import type { Manifest, ManifestDescriptor, ManifestStore } from '../registry/manifest-store.js';

/** A registry in memory: tags and digests of one host, with a log of every call. */
export class MemoryManifestStore implements ManifestStore {
  readonly type = 'oci' as const;
  readonly host = 'reg.test';
  readonly manifests = new Map<string, Manifest>();
  readonly tags = new Map<string, string>();
  readonly calls: string[] = [];

  add(repository: string, body: object, tag?: string): Manifest {
    const bytes = Buffer.from(JSON.stringify(body));
    const manifest = { bytes, digest: sha256Digest(bytes), mediaType: (body as { mediaType: string }).mediaType };
    this.manifests.set(`${repository}@${manifest.digest}`, manifest);
    if (tag) this.tags.set(`${repository}:${tag}`, manifest.digest);
    return manifest;
  }
  private find(repository: string, reference: string): Manifest | null {
    const digest = reference.startsWith('sha256:') ? reference : this.tags.get(`${repository}:${reference}`);
    return (digest && this.manifests.get(`${repository}@${digest}`)) || null;
  }
  async headManifest(repository: string, reference: string): Promise<ManifestDescriptor | null> {
    this.calls.push(`HEAD ${repository}:${reference}`);
    const m = this.find(repository, reference);
    return m && { digest: m.digest, mediaType: m.mediaType };
  }
  async getManifest(repository: string, reference: string): Promise<Manifest | null> {
    this.calls.push(`GET ${repository}:${reference}`);
    return this.find(repository, reference);
  }
  async putManifest(repository: string, tag: string, manifest: Manifest): Promise<string> {
    this.calls.push(`PUT ${repository}:${tag}`);
    this.manifests.set(`${repository}@${manifest.digest}`, manifest);
    this.tags.set(`${repository}:${tag}`, manifest.digest);
    return manifest.digest;
  }
}
