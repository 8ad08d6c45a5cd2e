/** One scheme from a `WWW-Authenticate` header with its parameters (names lower-cased). */
export interface AuthChallenge {
  scheme: 'basic' | 'bearer' | string;
  params: Record<string, string>;
}

const PARAM = /^\s*([A-Za-z][A-Za-z0-9_-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*(,|$)/;
const SCHEME = /^\s*,?\s*([A-Za-z][A-Za-z0-9_-]*)(?=\s|,|$)/;

/**
 * Parses a `WWW-Authenticate` header (RFC 7235): several challenges, quoted or bare
 * parameter values. Unparseable trailing text is ignored rather than thrown on.
 */
export function parseAuthChallenges(header: string): AuthChallenge[] {
  const challenges: AuthChallenge[] = [];
  let rest = header;
  for (let guard = 0; rest.trim() !== '' && guard < 64; guard++) {
    const scheme = SCHEME.exec(rest);
    if (!scheme) break;
    rest = rest.slice(scheme[0].length);
    const params: Record<string, string> = {};
    for (let m = PARAM.exec(rest); m; m = PARAM.exec(rest)) {
      params[(m[1] as string).toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? '');
      rest = rest.slice(m[0].length);
      if (m[4] === '') break;
    }
    challenges.push({ scheme: (scheme[1] as string).toLowerCase(), params });
  }
  return challenges;
}
