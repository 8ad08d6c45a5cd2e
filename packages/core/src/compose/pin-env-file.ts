import { ConfigurationError } from '../action/errors.js';
import { quoteValue } from '../action/quote.js';

const VARIABLE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Sets `variable=value` in the text of a compose env file, keeping every other line, and
 * returns the new text and the value it replaced. Only whole `NAME=` lines are touched.
 */
export function pinEnvFile(
  text: string,
  variable: string,
  value: string,
): { text: string; previous: string | undefined } {
  if (!VARIABLE.test(variable)) {
    throw new ConfigurationError(
      `Input 'variable' is ${quoteValue(variable)}: use a shell-style name such as IMAGE_TAG`,
    );
  }
  if (/[\s"'`$\\]/.test(value)) {
    throw new ConfigurationError(
      `The version ${quoteValue(value)} cannot be written to an env file: use a plain image tag`,
    );
  }
  const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
  let previous: string | undefined;
  let found = false;
  const updated = lines.map((line) => {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$/.exec(line);
    if (!match || match[1] !== variable) return line;
    previous = match[2]!.trim().replace(/^(['"])(.*)\1$/, '$2');
    found = true;
    return `${variable}=${value}`;
  });
  if (!found) updated.push(`${variable}=${value}`);
  return { text: `${updated.join('\n')}\n`, previous };
}
