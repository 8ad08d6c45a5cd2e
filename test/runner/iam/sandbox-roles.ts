import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../harness/paths.js';
import { readIamRoles } from '../../permissions/iam-roles.js';
import { iamPolicyLib } from './iam-policy-lib.js';

/** The account moto answers for; the sandbox's roles live there. */
export const SANDBOX_ACCOUNT_ID = '123456789012';

/** One IAM role a workflow can assume: its trust policy and the permission policies attached to it. */
export interface RoleBinding {
  roleArn: string;
  /** Path of the trust policy, relative to the repository root (docs/iam/oidc-trust-*.json) or absolute. */
  trustPolicyFile: string;
  /** Paths of the attached permission policies (docs/iam/*.json). */
  permissionPolicyFiles: string[];
  /** Placeholder values of this role over the sandbox's (e.g. a scenario's own PREVIEW_CLUSTER). */
  placeholders?: Partial<PolicyPlaceholders>;
}

/** Values for the upper-case placeholders of docs/iam/*.json (docs/getting-started.md §2). */
export interface PolicyPlaceholders {
  ACCOUNT_ID: string;
  REGION: string;
  /** `owner/name` of the consumer repository, replacing `ORG/REPO`. */
  'ORG/REPO': string;
  /** `owner@ownerId/name@repoId`: the immutable OIDC subject form's repository, replacing `ORG@OWNER_ID/REPO@REPO_ID`. */
  'ORG@OWNER_ID/REPO@REPO_ID': string;
  PREVIEW_CLUSTER: string;
  PRODUCTION_CLUSTER: string;
  TEST_CLUSTER: string;
  ALB_NAME: string;
  PREVIEW_TASK_ROLE: string;
  PREVIEW_EXECUTION_ROLE: string;
  PREVIEW_LOG_GROUP: string;
}

/** A role's policies with the placeholders filled in and validated, ready for iam-simulate. */
export interface LoadedRole {
  binding: RoleBinding;
  placeholders: PolicyPlaceholders;
  /** `ValidatedPolicy` objects (iam-policy) for the trust policy and each permission policy. */
  trustPolicy: unknown;
  permissionPolicies: { name: string; policy: unknown }[];
}

/** The role name the sandbox gives each docs/iam/roles.json role: `preview-actions-<key>`. */
export function sandboxRoleArn(roleKey: string): string {
  return `arn:aws:iam::${SANDBOX_ACCOUNT_ID}:role/preview-actions-${roleKey}`;
}

/**
 * The sandbox's roles, read from docs/iam/roles.json (the one table lint-workflows and check-permissions also
 * read), so a role, trust policy or permission policy renamed there is the sandbox's too. A scenario adds more
 * with {@link registerRoleBinding}.
 */
function readDefaultRoles(placeholders?: Partial<PolicyPlaceholders>): RoleBinding[] {
  return [...readIamRoles(join(repoRoot, 'docs/iam'))].map(([key, role]) => ({
    roleArn: sandboxRoleArn(key),
    trustPolicyFile: `docs/iam/${role.trust}`,
    permissionPolicyFiles: [...new Set(Object.values(role.policies))].map((file) => `docs/iam/${file}`),
    ...(placeholders ? { placeholders } : {}),
  }));
}

/**
 * Re-registers every docs/iam/roles.json role with `placeholders` over the sandbox's (a scenario's throwaway
 * TEST_CLUSTER and PRODUCTION_CLUSTER); {@link resetRoleBindings} undoes it.
 */
export function registerDocumentedRoles(placeholders: Partial<PolicyPlaceholders>): void {
  for (const binding of readDefaultRoles(placeholders)) registerRoleBinding(binding);
}

const DEFAULT_ROLES: RoleBinding[] = readDefaultRoles();

const roles = new Map<string, RoleBinding>(DEFAULT_ROLES.map((r) => [r.roleArn, r]));

/** Adds or replaces the binding of one role ARN (a scenario's own role, or a stricter variant of a default one). */
export function registerRoleBinding(binding: RoleBinding): void {
  roles.set(binding.roleArn, binding);
}

/** Back to the default table (between scenarios). */
export function resetRoleBindings(): void {
  roles.clear();
  for (const r of DEFAULT_ROLES) roles.set(r.roleArn, r);
}

/** Every role ARN the table knows, for error messages and reports. */
export function listRoleBindings(): RoleBinding[] {
  return [...roles.values()];
}

/** The binding of a role ARN, or undefined when the table has none. */
export function findRoleBinding(roleArn: string): RoleBinding | undefined {
  return roles.get(roleArn);
}

/** The ids a repository's immutable OIDC subject carries (the job's `repository_owner_id`, `repository_id`). */
export interface RepositoryIds {
  ownerId: number;
  repositoryId: number;
}

/**
 * The sandbox's placeholder values: the clusters, ALB and log group that test/sandbox/seed-aws.ts makes, and the
 * repository in both subject forms (ids default to exampleJobFacts').
 */
export function sandboxPlaceholders(
  repository: string,
  region = 'us-east-1',
  ids: RepositoryIds = { ownerId: 4242, repositoryId: 777 },
): PolicyPlaceholders {
  const [owner, name] = repository.split('/');
  return {
    ACCOUNT_ID: SANDBOX_ACCOUNT_ID,
    REGION: region,
    'ORG/REPO': repository,
    'ORG@OWNER_ID/REPO@REPO_ID': `${owner}@${ids.ownerId}/${name}@${ids.repositoryId}`,
    PREVIEW_CLUSTER: 'pr-environments',
    PRODUCTION_CLUSTER: 'services-prod',
    TEST_CLUSTER: 'services-test',
    ALB_NAME: 'preview-actions',
    PREVIEW_TASK_ROLE: 'preview-task',
    PREVIEW_EXECUTION_ROLE: 'preview-execution',
    PREVIEW_LOG_GROUP: '/ecs/pr-environments',
  };
}

/**
 * Reads a policy file and fills its placeholders, the longest names first, so the immutable form's
 * `ORG@OWNER_ID/REPO@REPO_ID` goes before `ORG/REPO` and `PREVIEW_CLUSTER` is not eaten by a shorter one.
 */
export function readPolicyFile(file: string, placeholders: PolicyPlaceholders): unknown {
  let text = readFileSync(file.startsWith('/') ? file : join(repoRoot, file), 'utf8');
  const names = Object.keys(placeholders).sort((a, b) => b.length - a.length) as (keyof PolicyPlaceholders)[];
  for (const name of names) text = text.replaceAll(name, placeholders[name]);
  return JSON.parse(text);
}

/**
 * Loads a role's trust and permission policies, validated by iam-policy, with the binding's placeholders over
 * `sandbox`'s.
 * @throws Error naming the file when a policy does not validate.
 */
export function loadRole(binding: RoleBinding, sandbox: PolicyPlaceholders): LoadedRole {
  const placeholders = { ...sandbox, ...binding.placeholders };
  const trustDocument = readPolicyFile(binding.trustPolicyFile, placeholders);
  return {
    binding,
    placeholders,
    trustPolicy: validated(binding.trustPolicyFile, trustDocument, iamPolicyLib.validateTrustPolicy),
    permissionPolicies: binding.permissionPolicyFiles.map((file) => ({
      name: file,
      policy: validated(file, readPolicyFile(file, placeholders), iamPolicyLib.validateIdentityPolicy),
    })),
  };
}

/** Wraps an inline policy document (a test's fixture) the way {@link loadRole} wraps a file. */
export function validatedTrustPolicy(name: string, document: unknown): unknown {
  return validated(name, document, iamPolicyLib.validateTrustPolicy);
}

function validated(name: string, document: unknown, validate: (p: unknown) => { message: string }[]): unknown {
  const errors = validate(document);
  if (errors.length > 0) {
    throw new Error(`${name} is not a valid IAM policy: ${errors.map((e) => e.message).join('; ')}`);
  }
  return iamPolicyLib.createValidatedPolicy(document, validate as (p: unknown) => unknown[], { name });
}
