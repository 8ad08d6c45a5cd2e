// pnpm check-permissions [calls-dir]: compares the AWS and GitHub calls each action made in the e2e suite
// (recorded by the harness into .test-results/calls) with docs/iam/<action>.json and docs/github-permissions.md.
import { join, resolve } from 'node:path';
import { comparePermissions, formatPermissionFinding } from '../test/permissions/compare-permissions.js';
import { documentedUnused, permissionOnlyActions } from '../test/permissions/documented-unused.js';
import { readGitHubEndpoints } from '../test/permissions/github-endpoints.js';
import { readIamPolicies } from '../test/permissions/iam-policies.js';
import { checkRolePolicies, readIamRoles, rolePolicyVariants } from '../test/permissions/iam-roles.js';
import { readRecordedCalls } from '../test/permissions/recorded-calls.js';

const root = resolve(import.meta.dirname, '..');
const callsDir = resolve(
  process.argv[2] ?? process.env.PREVIEW_ACTIONS_RECORD_CALLS ?? join(root, '.test-results/calls'),
);

try {
  const iamDir = join(root, 'docs/iam');
  const roles = readIamRoles(iamDir);
  const roleFindings = checkRolePolicies(iamDir, roles);
  const recorded = readRecordedCalls(callsDir);
  const githubDocs = readGitHubEndpoints(join(root, 'docs/github-permissions.md'));
  const findings = comparePermissions({
    recorded,
    awsPolicies: readIamPolicies(iamDir, rolePolicyVariants(roles)),
    githubEndpoints: new Map([...githubDocs].map(([action, doc]) => [action, new Set(doc.endpoints)])),
    documentedUnused,
    permissionOnly: permissionOnlyActions,
  });
  for (const [action, calls] of [...recorded].sort(([a], [b]) => a.localeCompare(b))) {
    console.log(`${action}: ${calls.runs} run(s), ${calls.aws.size} AWS and ${calls.github.size} GitHub operation(s)`);
  }
  for (const finding of roleFindings) console.error(`✗ ${finding}`);
  if (findings.length === 0 && roleFindings.length === 0) {
    console.log('check-permissions: every call is granted and every grant was exercised or exempted.');
  } else {
    for (const finding of findings) console.error(`✗ ${formatPermissionFinding(finding)}`);
    console.error(`check-permissions: ${findings.length + roleFindings.length} finding(s).`);
    process.exitCode = 1;
  }
} catch (error) {
  console.error(`check-permissions: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
