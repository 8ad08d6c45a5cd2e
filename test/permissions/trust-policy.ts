/**
 * Whether a trust policy lets a GitHub OIDC token with this audience and subject assume the role: some Allow
 * statement for sts:AssumeRoleWithWebIdentity whose StringEquals/StringLike conditions all hold. Written here
 * because @cloud-copilot/iam-simulate's action data lists no `token.actions.githubusercontent.com:sub` or `:aud`
 * key for that action and drops them before evaluating. StringLike follows IAM: `*` any run of characters
 * (including none, `/` and `:`), `?` one character, a list matches when any value does.
 */
export function trustAccepts(policy: unknown, token: { sub: string; aud?: string }): boolean {
  const claims: Record<string, string> = {
    'token.actions.githubusercontent.com:sub': token.sub,
    'token.actions.githubusercontent.com:aud': token.aud ?? 'sts.amazonaws.com',
  };
  const statements = (policy as { Statement?: unknown[] }).Statement ?? [];
  return statements.some((raw) => {
    const statement = raw as { Effect?: string; Action?: string | string[]; Condition?: Record<string, unknown> };
    const actions = [statement.Action ?? []].flat();
    if (statement.Effect !== 'Allow' || !actions.includes('sts:AssumeRoleWithWebIdentity')) return false;
    return Object.entries(statement.Condition ?? {}).every(([operator, keys]) =>
      Object.entries(keys as Record<string, string | string[]>).every(([key, values]) => {
        const actual = claims[key];
        if (actual === undefined) return false;
        const candidates = [values].flat();
        if (operator === 'StringEquals') return candidates.includes(actual);
        if (operator === 'StringLike') return candidates.some((pattern) => likePattern(pattern).test(actual));
        throw new Error(`trustAccepts: condition operator ${operator} is not modelled`);
      }),
    );
  });
}

function likePattern(pattern: string): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 's');
}
