/**
 * Compose's variable interpolation (docs.docker.com/reference/compose-file/interpolation): `$$` is a literal `$`,
 * `$VAR` and `${VAR}` substitute, and the braced forms `${VAR:-default}` `${VAR-default}` `${VAR:?error}`
 * `${VAR?error}` `${VAR:+replacement}` `${VAR+replacement}`, nested in their word. A `$` not followed by a name or
 * `{` stays as written. An unset variable without a default is a warning and the empty string, as Compose does.
 */
export class ComposeInterpolationError extends Error {}

const NAME = /^[_a-zA-Z][_a-zA-Z0-9]*/;

/** The result and the unset variables Compose would warn about. */
export function interpolateCompose(
  text: string,
  variables: Readonly<Record<string, string>>,
  warn: (name: string) => void = () => {},
): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const char = text[i]!;
    if (char !== '$') {
      out += char;
      i++;
      continue;
    }
    const next = text[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (next === '{') {
      const end = findClosingBrace(text, i + 2);
      if (end < 0) throw new ComposeInterpolationError(`invalid interpolation format for "${text}"`);
      out += substituteBraced(text.slice(i + 2, end), text, variables, warn);
      i = end + 1;
      continue;
    }
    const name = NAME.exec(text.slice(i + 1))?.[0];
    if (!name) {
      out += '$';
      i++;
      continue;
    }
    out += lookup(name, variables, warn);
    i += 1 + name.length;
  }
  return out;
}

function findClosingBrace(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    if (text[i] === '$' && text[i + 1] === '{') {
      depth++;
      i++;
    } else if (text[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

function lookup(name: string, variables: Readonly<Record<string, string>>, warn: (name: string) => void): string {
  const value = variables[name];
  if (value === undefined) {
    warn(name);
    return '';
  }
  return value;
}

function substituteBraced(
  inner: string,
  whole: string,
  variables: Readonly<Record<string, string>>,
  warn: (name: string) => void,
): string {
  const name = NAME.exec(inner)?.[0];
  if (!name) throw new ComposeInterpolationError(`invalid interpolation format for "${whole}"`);
  const rest = inner.slice(name.length);
  if (rest === '') return lookup(name, variables, warn);
  const operator = /^(:-|-|:\?|\?|:\+|\+)/.exec(rest)?.[0];
  if (!operator) throw new ComposeInterpolationError(`invalid interpolation format for "${whole}"`);
  const word = () => interpolateCompose(rest.slice(operator.length), variables, warn);
  const value = variables[name];
  const set = value !== undefined;
  const nonEmpty = set && value !== '';
  switch (operator) {
    case ':-':
      return nonEmpty ? value : word();
    case '-':
      return set ? value : word();
    case ':?':
    case '?':
      if (operator === ':?' ? nonEmpty : set) return value!;
      throw new ComposeInterpolationError(`required variable ${name} is missing a value: ${word()}`);
    case ':+':
      return nonEmpty ? word() : '';
    default:
      return set ? word() : '';
  }
}
