import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

interface PolicyStatement {
  Effect?: string;
  Action?: string | string[];
}

/** Files in docs/iam that are trust policies, not an action's permissions. */
const TRUST_POLICY_PREFIX = 'oidc-trust-';

/** The AWS actions a policy document allows, from every `Effect: Allow` statement. */
export function readAllowedActions(policy: { Statement?: PolicyStatement | PolicyStatement[] }): Set<string> {
  const statements = Array.isArray(policy.Statement) ? policy.Statement : policy.Statement ? [policy.Statement] : [];
  const allowed = new Set<string>();
  for (const statement of statements) {
    if (statement.Effect !== 'Allow') continue;
    const actions = Array.isArray(statement.Action) ? statement.Action : statement.Action ? [statement.Action] : [];
    for (const action of actions) allowed.add(action);
  }
  return allowed;
}

/**
 * Reads docs/iam/<action>.json into action name → allowed AWS actions, skipping the OIDC trust policies, the
 * roles map and the files it names as one role's variant of an action's policy (`skip`).
 */
export function readIamPolicies(dir: string, skip: ReadonlySet<string> = new Set()): Map<string, Set<string>> {
  const policies = new Map<string, Set<string>>();
  for (const file of readdirSync(dir).filter(
    (name) =>
      name.endsWith('.json') && !name.startsWith(TRUST_POLICY_PREFIX) && name !== 'roles.json' && !skip.has(name),
  )) {
    const policy = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { Statement?: PolicyStatement[] };
    policies.set(basename(file, '.json'), readAllowedActions(policy));
  }
  return policies;
}
