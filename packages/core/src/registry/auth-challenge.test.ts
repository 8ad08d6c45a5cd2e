import { describe, expect, it } from '@jest/globals';
import { parseAuthChallenges } from './auth-challenge.js';

describe('parseAuthChallenges', () => {
  it('reads a Bearer challenge with a comma inside a quoted scope', () => {
    expect(
      parseAuthChallenges(
        'Bearer realm="https://auth.example/token",service="registry",scope="repository:a/b:pull,push"',
      ),
    ).toEqual([
      {
        scheme: 'bearer',
        params: { realm: 'https://auth.example/token', service: 'registry', scope: 'repository:a/b:pull,push' },
      },
    ]);
  });

  it('reads several challenges, bare values and escaped quotes', () => {
    expect(
      parseAuthChallenges('Basic realm="Registry \\"x\\"", Bearer realm=https://t/token, error="insufficient_scope"'),
    ).toEqual([
      { scheme: 'basic', params: { realm: 'Registry "x"' } },
      { scheme: 'bearer', params: { realm: 'https://t/token', error: 'insufficient_scope' } },
    ]);
  });

  it('returns nothing for an empty header', () => {
    expect(parseAuthChallenges('')).toEqual([]);
  });
});
