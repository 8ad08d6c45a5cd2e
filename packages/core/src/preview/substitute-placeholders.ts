import { ConfigurationError } from '../action/errors.js';

const PLACEHOLDER = /\$\{([^}]*)\}/g;

function describePath(path: readonly (string | number)[]): string {
  return (
    path.reduce<string>(
      (text, part) => (typeof part === 'number' ? `${text}[${part}]` : text ? `${text}.${part}` : part),
      '',
    ) || '(top level)'
  );
}

/** Every `${NAME}` in the string values of parsed JSON, with where it was found. */
export function listPlaceholders(value: unknown, path: (string | number)[] = []): { name: string; at: string }[] {
  if (typeof value === 'string')
    return [...value.matchAll(PLACEHOLDER)].map((m) => ({ name: m[1] as string, at: describePath(path) }));
  if (Array.isArray(value)) return value.flatMap((item, i) => listPlaceholders(item, [...path, i]));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => listPlaceholders(item, [...path, key]));
  }
  return [];
}

/**
 * Fills `${NAME}` placeholders in the string values of already-parsed JSON. Keys, numbers and
 * structure are never touched, and a value can never break out of its string, whatever it holds.
 * @throws ConfigurationError naming the field of a placeholder that `values` does not define.
 */
export function substitutePlaceholders(
  value: unknown,
  values: Readonly<Record<string, string>>,
  path: (string | number)[] = [],
): unknown {
  if (typeof value === 'string') {
    return value.replace(PLACEHOLDER, (_, name: string) => {
      const replacement = values[name];
      if (replacement === undefined) {
        throw new ConfigurationError(
          `Task-definition template ${describePath(path)}: unknown placeholder \${${name}}; use one of ${Object.keys(
            values,
          )
            .map((k) => `\${${k}}`)
            .join(', ')}`,
        );
      }
      return replacement;
    });
  }
  if (Array.isArray(value)) return value.map((item, i) => substitutePlaceholders(item, values, [...path, i]));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, substitutePlaceholders(item, values, [...path, key])]),
    );
  }
  return value;
}
