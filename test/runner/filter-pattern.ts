/**
 * GitHub's filter pattern syntax for branches, tags and paths ("Filter pattern cheat sheet" in the workflow syntax
 * docs): `*` any characters but `/`, `**` any characters, `?` zero or one of the preceding character, `+` one or more
 * of the preceding character, `[…]` a character class, `\` escapes; a leading `!` negates.
 */
function compilePattern(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char === '*') {
      if (pattern[i + 1] === '*') {
        source += '.*';
        i++;
      } else source += '[^/]*';
    } else if (char === '?' || char === '+') {
      source += char; // both quantify the preceding character, as in a regular expression
    } else if (char === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) throw new Error(`the filter pattern '${pattern}' has an unclosed '['`);
      source += `[${pattern.slice(i + 1, end).replace(/\\/g, '\\\\')}]`;
      i = end;
    } else if (char === '\\' && i + 1 < pattern.length) {
      source += escapeCharacter(pattern[++i]!);
    } else source += escapeCharacter(char);
  }
  return new RegExp(`^${source}$`);
}

function escapeCharacter(char: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(char) ? `\\${char}` : char;
}

/**
 * Whether `value` is included by an ordered list of patterns: the last pattern that matches decides (a `!` pattern
 * excludes), as GitHub evaluates mixed positive and negative patterns. No pattern matching = not included.
 */
export function matchesFilterPatterns(value: string, patterns: readonly string[]): boolean {
  let included = false;
  for (const pattern of patterns) {
    const negated = pattern.startsWith('!');
    if (compilePattern(negated ? pattern.slice(1) : pattern).test(value)) included = !negated;
  }
  return included;
}
