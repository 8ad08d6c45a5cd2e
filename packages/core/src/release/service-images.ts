import { ConfigurationError } from '../action/errors.js';
import { quoteValue } from '../action/quote.js';
import { renderImagePattern } from '../registry/image-pattern.js';
import type { ImageReference } from '../registry/image-reference.js';

/** One service and the image repository it is built into and promoted in. */
export interface ServiceImage {
  service: string;
  image: ImageReference;
}

const SERVICE_NAME = /^[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?$/;

/**
 * Resolves each service's image from the `image` pattern (`{registry}/{service}` by default).
 * @throws ConfigurationError for an empty list, a bad or repeated name, or a pattern that does not render.
 */
export function resolveServiceImages(services: readonly string[], pattern: string, registry: string): ServiceImage[] {
  if (services.length === 0) {
    throw new ConfigurationError("Input 'services' is empty: list at least one service, one name a line");
  }
  if (pattern.includes('{registry}') && registry === '') {
    throw new ConfigurationError(
      "Input 'registry' is empty but 'image' uses {registry}: set registry, e.g. ghcr.io/my-org",
    );
  }
  const seen = new Set<string>();
  return services.map((service) => {
    if (!SERVICE_NAME.test(service)) {
      throw new ConfigurationError(
        `Service name ${quoteValue(service)} is not valid: use lower-case letters, digits, '.', '_' or '-' (at most 64)`,
      );
    }
    if (seen.has(service))
      throw new ConfigurationError(`Service ${quoteValue(service)} is listed twice in 'services': list it once`);
    seen.add(service);
    const image = renderImagePattern(pattern, { registry, service }, "Input 'image'");
    if (image.tag || image.digest) {
      throw new ConfigurationError(
        `Input 'image' must name a repository without tag or digest, got ${quoteValue(pattern)}`,
      );
    }
    return { service, image };
  });
}
