import type { ErrorObject } from 'ajv';

/** Turns a JSON pointer such as `/services/2/port` into `services[2].port`. */
export function formatFieldPath(pointer: string, extra?: string): string {
  const segments = pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (extra !== undefined) segments.push(extra);
  let path = '';
  for (const segment of segments) {
    if (/^\d+$/.test(segment)) path += `[${segment}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(segment)) path += path ? `.${segment}` : segment;
    else path += `[${JSON.stringify(segment)}]`;
  }
  return path || '(top level)';
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] as number;
      row[j] = Math.min(above + 1, (row[j - 1] as number) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length] as number;
}

function describeUnknownKey(key: string, allowed: string[]): string {
  const closest = allowed
    .map((name) => ({ name, distance: editDistance(key.toLowerCase(), name) }))
    .sort((x, y) => x.distance - y.distance)[0];
  if (closest && closest.distance <= Math.max(2, Math.floor(key.length / 3))) {
    return `unknown key; did you mean ${closest.name}?`;
  }
  return `unknown key; use one of ${allowed.join(', ')}`;
}

interface HintedSchema {
  hint?: string;
  properties?: Record<string, HintedSchema>;
}

function hintOf(schema: unknown): string | undefined {
  return (schema as HintedSchema | undefined)?.hint;
}

/**
 * Renders ajv errors (compiled with `allErrors` and `verbose`) as one `field: how to fix` line per
 * field, using each schema's `hint`. Several failed keywords on the same field give one line.
 */
export function formatSchemaErrors(errors: readonly ErrorObject[]): string[] {
  const lines = new Map<string, string>();
  for (const error of errors) {
    const parent = error.parentSchema as HintedSchema | undefined;
    if (error.keyword === 'additionalProperties') {
      const key = String((error.params as { additionalProperty: string }).additionalProperty);
      const field = formatFieldPath(error.instancePath, key);
      lines.set(field, describeUnknownKey(key, Object.keys(parent?.properties ?? {})));
    } else if (error.keyword === 'required') {
      const key = String((error.params as { missingProperty: string }).missingProperty);
      const hint = hintOf(parent?.properties?.[key]);
      lines.set(formatFieldPath(error.instancePath, key), `is required${hint ? `; it ${hint}` : ''}`);
    } else if (error.keyword === 'propertyNames') {
      continue;
    } else if (error.propertyName !== undefined) {
      const field = formatFieldPath(error.instancePath, error.propertyName);
      lines.set(field, `bad name; ${hintOf(parent) ?? error.message ?? 'invalid'}`);
    } else {
      const field = formatFieldPath(error.instancePath);
      if (!lines.has(field)) lines.set(field, hintOf(parent) ?? error.message ?? 'is invalid');
    }
  }
  return [...lines].map(([field, message]) => `${field}: ${message}`);
}
