import { ConfigurationError } from '../action/errors.js';
import { quoteValue } from '../action/quote.js';
import { isDigest } from './digest.js';
import { isValidTag } from './validate-tag.js';

/** A parsed `host[:port]/path/name[:tag][@digest]`. */
export interface ImageReference {
  /** Registry host with optional port, e.g. `ghcr.io` or `127.0.0.1:5000`. */
  host: string;
  /** Repository path inside the registry, e.g. `owner/api`. */
  repository: string;
  tag?: string;
  digest?: string;
}

const HOST =
  /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*)(?::[0-9]{1,5})?$/;
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const MAX_REFERENCE_LENGTH = 512;

function fail(text: string, why: string): never {
  throw new ConfigurationError(`Image reference ${quoteValue(text)} ${why}`);
}

/** True when the first path component names a registry (docker's rule: a dot, a port, or localhost). */
function looksLikeHost(component: string): boolean {
  return component.includes('.') || component.includes(':') || component === 'localhost' || component.startsWith('[');
}

/**
 * Parses `host[:port]/path/name[:tag][@digest]`. The host is required: this layer never guesses Docker Hub.
 * @throws ConfigurationError saying which part is wrong and what it should look like.
 */
export function parseImageReference(text: string): ImageReference {
  if (text.length === 0 || text.length > MAX_REFERENCE_LENGTH) {
    fail(text, `must be 1 to ${MAX_REFERENCE_LENGTH} characters, e.g. ghcr.io/owner/api:v1.2.3`);
  }
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!isDigest(digest))
      fail(text, `has digest ${quoteValue(digest)}: use sha256: followed by 64 lower-case hex digits`);
  }
  const slash = rest.indexOf('/');
  const host = slash > 0 ? rest.slice(0, slash) : '';
  if (!host || !looksLikeHost(host)) {
    fail(
      text,
      'has no registry host: write it in full, e.g. ghcr.io/owner/api:v1.2.3 or 123456789012.dkr.ecr.us-east-1.amazonaws.com/api',
    );
  }
  if (!HOST.test(host)) fail(text, `has an invalid registry host ${quoteValue(host)}`);
  let path = rest.slice(slash + 1);
  let tag: string | undefined;
  const colon = path.lastIndexOf(':');
  if (colon >= 0) {
    tag = path.slice(colon + 1);
    path = path.slice(0, colon);
    if (!isValidTag(tag)) {
      fail(
        text,
        `has tag ${quoteValue(tag)}: use 1 to 128 letters, digits, '_', '.' or '-', not starting with '.' or '-'`,
      );
    }
  }
  if (!path.split('/').every((c) => PATH_COMPONENT.test(c))) {
    fail(
      text,
      `has repository ${quoteValue(path)}: use lower-case letters and digits separated by '/', '.', '_' or '-'`,
    );
  }
  return { host, repository: path, ...(tag !== undefined && { tag }), ...(digest !== undefined && { digest }) };
}

/** Formats a reference back as `host/repository[:tag][@digest]`. */
export function formatImageReference(ref: ImageReference): string {
  return `${ref.host}/${ref.repository}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}
