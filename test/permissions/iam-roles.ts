import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readAllowedActions } from './iam-policies.js';

/**
 * One IAM role the workflows assume (docs/iam/roles.json): the repository variable that names it, its trust
 * policy, where GitHub's OIDC subject lets it be assumed, and the permission policy it carries for each action
 * a job runs under it.
 */
export interface IamRole {
  variable: string;
  trust: string;
  /** GitHub environments whose subject the trust accepts. */
  environments: string[];
  /** A tag-ref pattern (IAM StringLike) the trust accepts for jobs in no environment, if any. */
  tags?: string;
  /** Action → policy file in docs/iam that the role carries for it. */
  policies: Record<string, string>;
}

/** The file that maps roles to trust and permission policies, so lint-workflows and check-permissions agree. */
export const ROLES_FILE = 'roles.json';

/** Reads docs/iam/roles.json. */
export function readIamRoles(dir: string): Map<string, IamRole> {
  const parsed = JSON.parse(readFileSync(join(dir, ROLES_FILE), 'utf8')) as { roles: Record<string, IamRole> };
  return new Map(Object.entries(parsed.roles));
}

/**
 * What is wrong with the roles→policies mapping: a missing file, or a role's policy for an action that allows
 * other API actions than the action's own docs/iam/<action>.json (the one the recorded e2e calls are compared
 * with). A role-specific variant may narrow resources (e.g. the test cluster only), never the action list, or
 * the action would fail under that role with calls check-permissions never sees.
 */
export function checkRolePolicies(dir: string, roles: Map<string, IamRole>): string[] {
  const findings: string[] = [];
  const read = (file: string) => readAllowedActions(JSON.parse(readFileSync(join(dir, file), 'utf8')));
  for (const [name, role] of roles) {
    if (!existsSync(join(dir, role.trust))) findings.push(`role ${name}: trust policy ${role.trust} does not exist`);
    for (const [action, file] of Object.entries(role.policies)) {
      const own = `${action}.json`;
      if (!existsSync(join(dir, file))) {
        findings.push(`role ${name}: policy ${file} for ${action} does not exist`);
        continue;
      }
      if (!existsSync(join(dir, own))) {
        findings.push(`role ${name}: ${action} has no docs/iam/${own} to compare ${file} with`);
        continue;
      }
      if (file === own) continue;
      const expected = [...read(own)].sort().join(', ');
      const actual = [...read(file)].sort().join(', ');
      if (expected !== actual)
        findings.push(`role ${name}: ${file} allows [${actual}] but ${action} calls [${expected}] (docs/iam/${own})`);
    }
  }
  return findings;
}

/** Policy files that are a role's variant of an action's policy (not named after an action). */
export function rolePolicyVariants(roles: Map<string, IamRole>): Set<string> {
  const variants = new Set<string>();
  for (const role of roles.values()) {
    for (const [action, file] of Object.entries(role.policies)) if (file !== `${action}.json`) variants.add(file);
  }
  return variants;
}
