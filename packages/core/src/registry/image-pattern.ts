import { ConfigurationError } from '../action/errors.js';
import { quoteValue } from '../action/quote.js';
import { parseImageReference, type ImageReference } from './image-reference.js';

const VARIABLE = /\{([^{}]*)\}/g;

/**
 * Renders an image pattern such as `{registry}/{service}` and parses the result.
 * @param inputName names the input in messages, e.g. "Input 'image'".
 * @throws ConfigurationError naming an unknown variable and listing the known ones, or a bad rendered reference.
 */
export function renderImagePattern(
  pattern: string,
  variables: Readonly<Record<string, string>>,
  inputName = 'The image pattern',
): ImageReference {
  const rendered = pattern.replace(VARIABLE, (_whole, name: string) => {
    const value = variables[name];
    if (value === undefined) {
      const known = Object.keys(variables)
        .map((k) => `{${k}}`)
        .join(', ');
      throw new ConfigurationError(
        `${inputName} uses unknown variable ${quoteValue(`{${name}}`)}: use one of ${known}`,
      );
    }
    return value;
  });
  if (/[{}]/.test(rendered)) {
    throw new ConfigurationError(
      `${inputName} ${quoteValue(pattern)} has an unmatched brace: write variables as {name}`,
    );
  }
  return parseImageReference(rendered);
}
