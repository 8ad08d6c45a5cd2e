import { ConfigurationError } from '../action/errors.js';
import { quoteValue } from '../action/quote.js';

/** The OCI distribution tag grammar: 1 to 128 characters, not starting with '.' or '-'. */
const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;

/** True when `tag` is a valid OCI tag. */
export function isValidTag(tag: string): boolean {
  return TAG.test(tag);
}

/**
 * Refuses a tag a registry would reject, before any request is made.
 * @param what names the tag in the message, e.g. "Input 'env-tag'".
 * @throws ConfigurationError that says which characters are allowed.
 */
export function validateTag(tag: string, what = 'The image tag'): string {
  if (!isValidTag(tag)) {
    throw new ConfigurationError(
      `${what} is ${quoteValue(tag)}: use 1 to 128 letters, digits, '_', '.' or '-', not starting with '.' or '-'`,
    );
  }
  return tag;
}
