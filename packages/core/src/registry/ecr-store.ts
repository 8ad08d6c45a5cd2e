import {
  BatchGetImageCommand,
  DescribeImagesCommand,
  PutImageCommand,
  type ECRClient,
  type ImageIdentifier,
} from '@aws-sdk/client-ecr';
import { ConfigurationError } from '../action/errors.js';
import { isDigest, sha256Digest } from './digest.js';
import type { Manifest, ManifestDescriptor, ManifestStore } from './manifest-store.js';
import { detectManifestMediaType, MANIFEST_MEDIA_TYPES } from './media-types.js';
import { awsRegistryError, RegistryError } from './registry-error.js';

/** Where an {@link EcrStore} writes: the client (region set) and the account of the registry host. */
export interface EcrStoreOptions {
  client: ECRClient;
  host: string;
  registryId: string;
}

function imageId(reference: string): ImageIdentifier {
  return isDigest(reference) ? { imageDigest: reference } : { imageTag: reference };
}

function awsErrorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

/**
 * The ECR {@link ManifestStore}: DescribeImages for existence, BatchGetImage (with every manifest
 * media type accepted, so indexes come back whole) to read, PutImage with the media type and
 * digest to write the exact bytes. The SDK client does its own throttling retries.
 */
export class EcrStore implements ManifestStore {
  readonly type = 'ecr' as const;
  readonly host: string;
  private readonly client: ECRClient;
  private readonly registryId: string;

  constructor(options: EcrStoreOptions) {
    this.client = options.client;
    this.host = options.host;
    this.registryId = options.registryId;
  }

  private describe(repository: string, reference: string): string {
    return `${this.host}/${repository}${isDigest(reference) ? '@' : ':'}${reference}`;
  }

  private fail(error: unknown, repository: string, reference: string, operation: string): never {
    const image = this.describe(repository, reference);
    const name = awsErrorName(error);
    if (name === 'RepositoryNotFoundException') {
      throw new ConfigurationError(
        `ECR repository ${this.host}/${repository} does not exist: create it, or fix the image pattern`,
      );
    }
    if (
      name === 'AccessDeniedException' ||
      name === 'UnrecognizedClientException' ||
      name === 'ExpiredTokenException'
    ) {
      throw new ConfigurationError(`AWS denied ${operation} ${image} (${name}): check the role's ECR permissions`);
    }
    throw awsRegistryError(error, image, operation);
  }

  /** {@inheritDoc ManifestStore.headManifest} */
  async headManifest(repository: string, reference: string): Promise<ManifestDescriptor | null> {
    try {
      const out = await this.client.send(
        new DescribeImagesCommand({
          registryId: this.registryId,
          repositoryName: repository,
          imageIds: [imageId(reference)],
        }),
      );
      const detail = out.imageDetails?.[0];
      if (!detail?.imageDigest) return null;
      if (!detail.imageManifestMediaType) return this.getManifest(repository, detail.imageDigest);
      return { digest: detail.imageDigest, mediaType: detail.imageManifestMediaType };
    } catch (error) {
      if (awsErrorName(error) === 'ImageNotFoundException') return null;
      this.fail(error, repository, reference, 'check manifest');
    }
  }

  /** {@inheritDoc ManifestStore.getManifest} */
  async getManifest(repository: string, reference: string): Promise<Manifest | null> {
    let out;
    try {
      out = await this.client.send(
        new BatchGetImageCommand({
          registryId: this.registryId,
          repositoryName: repository,
          imageIds: [imageId(reference)],
          acceptedMediaTypes: [...MANIFEST_MEDIA_TYPES],
        }),
      );
    } catch (error) {
      this.fail(error, repository, reference, 'read manifest');
    }
    const image = out.images?.[0];
    if (!image?.imageManifest) {
      const failure = out.failures?.[0];
      if (!failure || failure.failureCode === 'ImageNotFound' || failure.failureCode === 'ImageTagDoesNotMatchDigest')
        return null;
      throw new RegistryError(
        {
          image: this.describe(repository, reference),
          operation: 'read manifest',
          code: failure.failureCode ?? 'Unknown',
        },
        failure.failureReason,
      );
    }
    const bytes = Buffer.from(image.imageManifest, 'utf8');
    const digest = sha256Digest(bytes);
    const said = image.imageId?.imageDigest;
    if (said && said !== digest) {
      throw new RegistryError(
        { image: this.describe(repository, reference), operation: 'read manifest', code: 'DIGEST_MISMATCH' },
        `the bytes hash to ${digest}, ECR said ${said}`,
      );
    }
    const mediaType = detectManifestMediaType(bytes, image.imageManifestMediaType);
    return { bytes, digest, mediaType, size: bytes.length };
  }

  /** {@inheritDoc ManifestStore.putManifest} */
  async putManifest(repository: string, tag: string, manifest: Manifest): Promise<string> {
    try {
      const out = await this.client.send(
        new PutImageCommand({
          registryId: this.registryId,
          repositoryName: repository,
          imageManifest: manifest.bytes.toString('utf8'),
          imageManifestMediaType: manifest.mediaType,
          imageTag: tag,
          imageDigest: manifest.digest,
        }),
      );
      return out.image?.imageId?.imageDigest ?? manifest.digest;
    } catch (error) {
      const name = awsErrorName(error);
      // ECR's answer when the tag already holds exactly this manifest.
      if (name === 'ImageAlreadyExistsException') return manifest.digest;
      if (name === 'ImageTagAlreadyExistsException') {
        throw new ConfigurationError(
          `ECR refused to move ${this.describe(repository, tag)}: the repository's tags are immutable; use a new tag or make the repository's tags mutable`,
        );
      }
      this.fail(error, repository, tag, 'write manifest');
    }
  }
}
