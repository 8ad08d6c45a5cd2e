import { gzipSync } from 'node:zlib';
import { OCI_INDEX, OCI_MANIFEST, sha256Digest, type OciClient } from '@preview-actions/core/registry';
import { behaviourLabel } from './behaviour-label.js';

/**
 * What the sandbox's ECS makes a task of an image do, read from the image config label `sandbox.ecs.behaviour`
 * (see test/sandbox/moto-ecs/registry.py): `healthy` (also when the label is absent), `crash` (starts, then its
 * essential container exits 1), `unhealthy` (runs but fails its target group's health check), `slow=<seconds>`
 * (takes that much longer to be RUNNING and healthy).
 */
export type SandboxEcsBehaviour = 'healthy' | 'crash' | 'unhealthy' | `slow=${number}`;

export { behaviourLabel } from './behaviour-label.js';

export interface BehaviourImage {
  /** The digest a tag resolves to: the manifest's, or the index's for a multi-arch image. */
  digest: string;
  /** host/repository:tag, as a task definition names it. */
  reference: string;
}

const CONFIG = 'application/vnd.oci.image.config.v1+json';
const LAYER = 'application/vnd.oci.image.layer.v1.tar.gz';
// An empty tar archive: two 512-byte zero blocks.
const EMPTY_TAR = Buffer.alloc(1024);

async function putBlob(client: OciClient, repository: string, bytes: Buffer) {
  const digest = sha256Digest(bytes);
  if (!(await client.hasBlob(repository, digest))) await client.uploadBlob(repository, bytes);
  return { digest, size: bytes.length };
}

async function putManifest(client: OciClient, repository: string, reference: string, body: object) {
  const bytes = Buffer.from(JSON.stringify(body));
  const manifest = { bytes, digest: sha256Digest(bytes), mediaType: (body as { mediaType: string }).mediaType };
  await client.putManifest(repository, reference, { ...manifest, size: bytes.length });
  return { digest: manifest.digest, size: bytes.length };
}

async function pushPlatformImage(
  client: OciClient,
  repository: string,
  behaviour: SandboxEcsBehaviour | undefined,
  seed: string,
  architecture: string,
  tag?: string,
) {
  const layer = await putBlob(client, repository, gzipSync(EMPTY_TAR));
  const labels = {
    'org.opencontainers.image.description': `sandbox ${seed}`,
    ...(behaviour && { [behaviourLabel]: behaviour }),
  };
  const config = await putBlob(
    client,
    repository,
    Buffer.from(
      JSON.stringify({
        architecture,
        os: 'linux',
        config: { Labels: labels },
        rootfs: { type: 'layers', diff_ids: [sha256Digest(EMPTY_TAR)] },
      }),
    ),
  );
  const body = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: CONFIG, ...config },
    layers: [{ mediaType: LAYER, ...layer }],
  };
  return putManifest(client, repository, tag ?? sha256Digest(JSON.stringify(body)), body);
}

/**
 * Pushes a hand-made OCI image (a config with the behaviour label and one empty layer) under `tag`, so a test
 * chooses what its ECS tasks do by what it pushes. `seed` makes the digest differ between pushes of the same
 * behaviour (moving a tag); `multiArch` pushes an index of linux/amd64 and linux/arm64 images instead, both
 * with the label. `behaviour` undefined pushes an image without the label (healthy). `registry.host` is the
 * host the returned reference names (the registry's host through the fault proxy, as task definitions do).
 */
export async function pushBehaviourImage(
  registry: { client: OciClient; host: string },
  repository: string,
  tag: string,
  behaviour: SandboxEcsBehaviour | undefined,
  options: { seed?: string; multiArch?: boolean } = {},
): Promise<BehaviourImage> {
  const { client } = registry;
  const seed = options.seed ?? `${repository}:${tag}`;
  const reference = `${registry.host}/${repository}:${tag}`;
  if (!options.multiArch) {
    const pushed = await pushPlatformImage(client, repository, behaviour, seed, 'amd64', tag);
    return { digest: pushed.digest, reference };
  }
  const amd64 = await pushPlatformImage(client, repository, behaviour, `${seed}-amd64`, 'amd64');
  const arm64 = await pushPlatformImage(client, repository, behaviour, `${seed}-arm64`, 'arm64');
  const index = await putManifest(client, repository, tag, {
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: [
      { mediaType: OCI_MANIFEST, ...amd64, platform: { os: 'linux', architecture: 'amd64' } },
      { mediaType: OCI_MANIFEST, ...arm64, platform: { os: 'linux', architecture: 'arm64' } },
    ],
  });
  return { digest: index.digest, reference };
}
