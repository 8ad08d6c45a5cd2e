import { ConfigurationError } from '../action/errors.js';
import { quoteValue } from '../action/quote.js';
import type { PreviewServiceConfig } from './environment-config.js';

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** Replaces `image`'s tag (and any digest) with `digest`, so the task runs exactly the image that was built. */
export function pinImageDigest(image: string, digest: string): string {
  if (!DIGEST.test(digest))
    throw new Error(`Digest ${quoteValue(digest)} is not sha256: followed by 64 lower-case hex digits`);
  return `${imageName(image)}@${digest}`;
}

/** The image reference without its tag and digest (a registry port's colon stays). */
function imageName(image: string): string {
  const withoutDigest = image.split('@')[0] as string;
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  return colon > lastSlash ? withoutDigest.slice(0, colon) : withoutDigest;
}

/** The tag the pull-request workflow pushes for each commit it builds, beside the moving `pr-{N}`. */
export function createCommitImageTag(sha: string): string {
  return `sha-${sha}`;
}

/** Replaces `image`'s tag (and any digest) with `tag`. */
export function pinImageTag(image: string, tag: string): string {
  return `${imageName(image)}:${tag}`;
}

/**
 * The image a preview service runs: its pattern with `{repository}`, `{pr}` and `{service}` filled in,
 * pinned to `digest` when the caller knows it.
 */
export function resolveServiceImage(
  service: Pick<PreviewServiceConfig, 'name' | 'image'>,
  pr: number,
  imageRepository: string | undefined,
  digest?: string,
): string {
  if (service.image.includes('{repository}') && imageRepository === undefined) {
    throw new ConfigurationError(
      `Service ${service.name} uses {repository} in its image: set image-repository in the environment file`,
    );
  }
  const image = service.image
    .replaceAll('{repository}', imageRepository ?? '')
    .replaceAll('{pr}', String(pr))
    .replaceAll('{service}', service.name);
  return digest === undefined ? image : pinImageDigest(image, digest);
}
