import type { RecordedActionCalls } from './recorded-calls.js';

/** A granted permission the e2e suite cannot make the action call, with why; anything else must be exercised. */
export interface DocumentedUnused {
  action: string;
  /** `ecs:DeleteTaskDefinitions` or a GitHub route `DELETE /repos/{owner}/{repo}/environments/{environment_name}`. */
  operation: string;
  reason: string;
}

/** What the check found; any finding fails it. */
export type PermissionFinding =
  | { kind: 'not-granted'; action: string; backend: 'aws' | 'github'; operation: string }
  | { kind: 'never-called'; action: string; backend: 'aws' | 'github'; operation: string }
  | { kind: 'no-policy'; action: string; backend: 'aws' | 'github'; operations: string[] }
  | { kind: 'not-recorded'; action: string }
  | { kind: 'stale-exemption'; action: string; operation: string; why: string };

/** Everything the comparison reads: what ran, what the docs grant, and the explicit exemptions. */
export interface PermissionComparisonInput {
  recorded: Map<string, RecordedActionCalls>;
  /** Action → AWS actions its docs/iam policy allows. */
  awsPolicies: Map<string, Set<string>>;
  /** Action → GitHub operations its docs/github-permissions.md block lists. */
  githubEndpoints: Map<string, Set<string>>;
  documentedUnused: readonly DocumentedUnused[];
  /** Permissions checked by AWS during another call and never called themselves, e.g. iam:PassRole. */
  permissionOnly: ReadonlySet<string>;
}

/**
 * Compares the calls each action made in the e2e suite with what its docs grant: a call not granted, a grant
 * never called (unless exempted with a reason), an action calling a backend with no documentation, a documented
 * action never run, and exemptions that no longer apply. Sorted, so reports diff cleanly.
 */
export function comparePermissions(input: PermissionComparisonInput): PermissionFinding[] {
  const findings: PermissionFinding[] = [];
  const exempt = new Map(input.documentedUnused.map((entry) => [`${entry.action} ${entry.operation}`, entry]));
  const usedExemptions = new Set<string>();
  const backends = [
    { backend: 'aws' as const, granted: input.awsPolicies },
    { backend: 'github' as const, granted: input.githubEndpoints },
  ];
  for (const { backend, granted } of backends) {
    for (const [action, calls] of input.recorded) {
      const called = calls[backend];
      const grants = granted.get(action);
      if (!grants) {
        if (called.size > 0) findings.push({ kind: 'no-policy', action, backend, operations: [...called].sort() });
        continue;
      }
      for (const operation of [...called].sort()) {
        if (!grants.has(operation)) findings.push({ kind: 'not-granted', action, backend, operation });
      }
    }
    for (const [action, grants] of granted) {
      const called = input.recorded.get(action)?.[backend];
      if (!called) continue;
      for (const operation of [...grants].sort()) {
        if (called.has(operation) || (backend === 'aws' && input.permissionOnly.has(operation))) continue;
        const key = `${action} ${operation}`;
        if (exempt.has(key)) usedExemptions.add(key);
        else findings.push({ kind: 'never-called', action, backend, operation });
      }
    }
  }
  const documented = new Set([...input.awsPolicies.keys(), ...input.githubEndpoints.keys()]);
  for (const action of [...documented].sort()) {
    if (!input.recorded.has(action)) findings.push({ kind: 'not-recorded', action });
  }
  for (const entry of input.documentedUnused) {
    const key = `${entry.action} ${entry.operation}`;
    if (usedExemptions.has(key) || !input.recorded.has(entry.action)) continue;
    const calls = input.recorded.get(entry.action)!;
    const why =
      calls.aws.has(entry.operation) || calls.github.has(entry.operation)
        ? 'the e2e suite does call it now: drop the exemption'
        : 'the docs do not grant it: drop the exemption';
    findings.push({ kind: 'stale-exemption', action: entry.action, operation: entry.operation, why });
  }
  return findings;
}

/** One line per finding, saying what to change. */
export function formatPermissionFinding(finding: PermissionFinding): string {
  switch (finding.kind) {
    case 'not-granted':
      return `${finding.action}: called ${finding.operation} but its ${finding.backend === 'aws' ? `docs/iam/${finding.action}.json` : 'docs/github-permissions.md block'} does not grant it`;
    case 'never-called':
      return `${finding.action}: grants ${finding.operation} but no e2e run called it; exercise it in an e2e test, remove it, or exempt it in test/permissions/documented-unused.ts with the reason`;
    case 'no-policy':
      return `${finding.action}: made ${finding.backend} calls (${finding.operations.join(', ')}) but has no ${finding.backend === 'aws' ? `docs/iam/${finding.action}.json` : 'docs/github-permissions.md block'}`;
    case 'not-recorded':
      return `${finding.action}: documented but no e2e test ran its bundle through runActionBundle, so nothing was checked`;
    case 'stale-exemption':
      return `${finding.action}: exemption for ${finding.operation} is stale: ${finding.why}`;
  }
}
