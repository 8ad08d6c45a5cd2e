import { runUnsafeSimulation } from '@cloud-copilot/iam-simulate';
import type { GitHubOidcClaims } from './oidc-token.js';

const PROVIDER_HOST = 'token.actions.githubusercontent.com';

/** What STS decided on an AssumeRoleWithWebIdentity. */
export interface TrustDecision {
  allowed: boolean;
  /** iam-simulate's result: Allowed, ImplicitlyDenied, ExplicitlyDenied. */
  result: string;
}

/**
 * Evaluates an AssumeRoleWithWebIdentity against a role's trust policy, as STS does: the caller is the OIDC
 * provider, the resource the role, and the token's `sub` and `aud` are the condition keys
 * `token.actions.githubusercontent.com:sub|aud`. `runUnsafeSimulation` because `runSimulation` drops
 * context keys it does not know for the action, and these provider keys are not in its catalogue.
 * @param trustPolicy a `ValidatedPolicy` (see sandbox-roles.ts)
 */
export function evaluateTrust(
  trustPolicy: unknown,
  roleArn: string,
  claims: Pick<GitHubOidcClaims, 'sub' | 'aud'>,
): TrustDecision {
  const accountId = accountOf(roleArn);
  const result = runUnsafeSimulation(
    {
      request: {
        principal: `arn:aws:iam::${accountId}:oidc-provider/${PROVIDER_HOST}`,
        action: 'sts:AssumeRoleWithWebIdentity',
        resource: { resource: roleArn, accountId },
        contextVariables: {
          [`${PROVIDER_HOST}:sub`]: claims.sub,
          [`${PROVIDER_HOST}:aud`]: claims.aud,
        },
      },
      identityPolicies: [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: trustPolicy,
    },
    {},
  );
  return { allowed: result === 'Allowed', result };
}

/** The account of an IAM ARN (`arn:aws:iam::123456789012:role/x`). */
export function accountOf(arn: string): string {
  const account = arn.split(':')[4];
  if (!account) throw new Error(`not an IAM ARN: ${arn}`);
  return account;
}
