import { readFileSync } from 'node:fs';
import { interpolateCompose } from './interpolate-compose.js';

/**
 * Reads a Compose env file as docs.docker.com/compose/env-file/ describes it: `#` lines and blank lines ignored,
 * `VAR=VAL` (an optional `export ` prefix), values unquoted (an inline comment needs a space before `#`),
 * double-quoted (`\n \t \\ \"` escapes) or single-quoted (literal). Unquoted and double-quoted values are
 * interpolated, the shell's variables winning over the file's own (the file has the lowest precedence).
 * @throws Error naming the line Compose would reject.
 */
export function readComposeEnvFile(path: string, shell: Readonly<Record<string, string>>): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = readFileSync(path, 'utf8').split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const match = /^(?:export\s+)?([^=\s]+)\s*=\s*(.*)$/.exec(line);
    if (!match) throw new Error(`failed to read ${path}: line ${index + 1}: unexpected character in variable name`);
    const [, key, rawValue] = match as unknown as [string, string, string];
    const scope = { ...values, ...shell };
    if (rawValue.startsWith("'")) {
      const end = rawValue.indexOf("'", 1);
      if (end < 0) throw new Error(`failed to read ${path}: line ${index + 1}: unterminated quoted value`);
      values[key] = rawValue.slice(1, end);
    } else if (rawValue.startsWith('"')) {
      const end = /^"((?:[^"\\]|\\.)*)"/.exec(rawValue);
      if (!end) throw new Error(`failed to read ${path}: line ${index + 1}: unterminated quoted value`);
      const unescaped = end[1]!.replace(/\\(.)/g, (_, c: string) =>
        c === 'n' ? '\n' : c === 't' ? '\t' : c === 'r' ? '\r' : c,
      );
      values[key] = interpolateCompose(unescaped, scope);
    } else {
      values[key] = interpolateCompose(rawValue.replace(/\s+#.*$/, '').trim(), scope);
    }
  });
  return values;
}
