import { gzipSync } from 'node:zlib';
import { OCI_INDEX, OCI_MANIFEST, sha256Digest, type Manifest, type OciClient } from '@preview-actions/core/registry';

/** A tiny image pushed by a test: its manifest as stored. */
export interface PushedImage extends Manifest {
  repository: string;
  tag?: string;
}

const CONFIG = 'application/vnd.oci.image.config.v1+json';
const LAYER = 'application/vnd.oci.image.layer.v1.tar.gz';

async function ensureBlob(
  client: OciClient,
  repository: string,
  bytes: Buffer,
): Promise<{ digest: string; size: number }> {
  const digest = sha256Digest(bytes);
  if (!(await client.hasBlob(repository, digest))) await client.uploadBlob(repository, bytes);
  return { digest, size: bytes.length };
}

async function putManifest(
  client: OciClient,
  repository: string,
  reference: string,
  body: object,
): Promise<PushedImage> {
  const bytes = Buffer.from(JSON.stringify(body, null, 2));
  const manifest = {
    bytes,
    digest: sha256Digest(bytes),
    mediaType: (body as { mediaType: string }).mediaType,
    size: bytes.length,
  };
  await client.putManifest(repository, reference, manifest);
  return { ...manifest, repository, ...(!reference.startsWith('sha256:') && { tag: reference }) };
}

/**
 * Pushes a one-layer image built from `seed` (different seeds, different digests) under `tag`,
 * or by digest only when no tag is given.
 */
export async function pushImage(
  client: OciClient,
  repository: string,
  seed: string,
  tag?: string,
  platform = { os: 'linux', architecture: 'amd64' },
): Promise<PushedImage> {
  const layer = gzipSync(Buffer.from(`layer ${seed}\n`));
  const config = Buffer.from(
    JSON.stringify({
      ...platform,
      config: {},
      rootfs: { type: 'layers', diff_ids: [sha256Digest(`layer ${seed}\n`)] },
    }),
  );
  const [c, l] = [await ensureBlob(client, repository, config), await ensureBlob(client, repository, layer)];
  const body = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: CONFIG, ...c },
    layers: [{ mediaType: LAYER, ...l }],
  };
  const reference = tag ?? sha256Digest(JSON.stringify(body, null, 2));
  return putManifest(client, repository, reference, body);
}

/**
 * Pushes a two-platform OCI index (linux/amd64, linux/arm64) with a BuildKit-style attestation
 * manifest for the amd64 image, children first (the registry refuses an index whose children are missing).
 */
export async function pushIndex(
  client: OciClient,
  repository: string,
  seed: string,
  tag: string,
): Promise<{ index: PushedImage; children: PushedImage[] }> {
  const amd64 = await pushImage(client, repository, `${seed}-amd64`, undefined, { os: 'linux', architecture: 'amd64' });
  const arm64 = await pushImage(client, repository, `${seed}-arm64`, undefined, { os: 'linux', architecture: 'arm64' });
  const statement = await ensureBlob(
    client,
    repository,
    Buffer.from(JSON.stringify({ _type: 'https://in-toto.io/Statement/v0.1', seed })),
  );
  const attestationConfig = await ensureBlob(
    client,
    repository,
    Buffer.from('{"architecture":"unknown","os":"unknown","config":{},"rootfs":{"type":"layers","diff_ids":[]}}'),
  );
  const attestationBody = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: CONFIG, ...attestationConfig },
    layers: [
      {
        mediaType: 'application/vnd.in-toto+json',
        ...statement,
        annotations: { 'in-toto.io/predicate-type': 'https://spdx.dev/Document' },
      },
    ],
  };
  const attestation = await putManifest(
    client,
    repository,
    sha256Digest(JSON.stringify(attestationBody, null, 2)),
    attestationBody,
  );
  const index = await putManifest(client, repository, tag, {
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: [
      {
        mediaType: OCI_MANIFEST,
        digest: amd64.digest,
        size: amd64.size,
        platform: { os: 'linux', architecture: 'amd64' },
      },
      {
        mediaType: OCI_MANIFEST,
        digest: arm64.digest,
        size: arm64.size,
        platform: { os: 'linux', architecture: 'arm64' },
      },
      {
        mediaType: OCI_MANIFEST,
        digest: attestation.digest,
        size: attestation.size,
        platform: { os: 'unknown', architecture: 'unknown' },
        annotations: {
          'vnd.docker.reference.digest': amd64.digest,
          'vnd.docker.reference.type': 'attestation-manifest',
        },
      },
    ],
  });
  return { index, children: [amd64, arm64, attestation] };
}
