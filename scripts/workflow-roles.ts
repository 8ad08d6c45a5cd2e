// Which jobs may assume which AWS role: the OIDC subject a job presents (its environment, or the tag ref of a
// tag push) must be one the role's trust policy accepts. docs/iam/roles.json names each role's repository
// variable, the environments its trust accepts and the tag pattern it accepts outside any environment.
import type { IamRole } from '../test/permissions/iam-roles.js';

type RoleJob = {
  environment?: string | { name?: string };
  if?: string;
  steps?: { uses?: string; with?: Record<string, unknown> }[];
};

/** The fixed text a tag pattern requires in the middle, e.g. `-rc.` for `v*-rc.*`. */
function tagMarker(pattern: string): string {
  return pattern.split('*').filter(Boolean).slice(1).join('') || pattern.replace(/\*/g, '');
}

/**
 * Finds every job that assumes a role where the role's trust would refuse it: outside the environments the
 * trust names, in an environment given by an expression (the subject cannot be known), or in no environment
 * when the role accepts tag refs only for some tags and neither the workflow's tag filter nor the job's `if`
 * limits the job to them. A role variable that roles.json does not know is a finding too.
 */
/** One of our actions in a `uses:`: `./actions/x` or `<org>/preview-actions/x@ref`. */
const OUR_ACTION = /^(?:\.\/|[^/\s]+\/preview-actions\/)([a-z0-9-]+)(?:@\S+)?$/;

export function checkRoleEnvironments(
  doc: unknown,
  where: string,
  roles: Map<string, IamRole>,
  options: { ourJobsOnly?: boolean } = {},
): string[] {
  const findings: string[] = [];
  const workflow = doc as { on?: unknown; jobs?: Record<string, RoleJob> } | null;
  const on = workflow?.on as { push?: { tags?: unknown; branches?: unknown } } | undefined;
  const tagFilters =
    on !== null &&
    typeof on === 'object' &&
    Object.keys(on).join() === 'push' &&
    Array.isArray(on.push?.tags) &&
    !on.push?.branches
      ? (on.push.tags as unknown[]).map(String)
      : undefined;
  for (const [job, body] of Object.entries(workflow?.jobs ?? {})) {
    // In a user's repository only the jobs that use one of our actions are ours to judge.
    if (options.ourJobsOnly && !(body.steps ?? []).some((step) => OUR_ACTION.test(step.uses ?? ''))) continue;
    const assumed = (body.steps ?? [])
      .filter((step) => step.uses?.startsWith('aws-actions/configure-aws-credentials@'))
      .map((step) => String(step.with?.['role-to-assume'] ?? ''));
    const environment = typeof body.environment === 'object' ? body.environment?.name : body.environment;
    for (const expression of assumed) {
      const entry = [...roles].find(([, role]) => new RegExp(`\\bvars\\.${role.variable}\\b`).test(expression));
      if (!entry) {
        const known = [...roles.values()].map((role) => `vars.${role.variable}`).join(', ');
        findings.push(`${where}: job ${job} assumes '${expression}': use one of ${known} (docs/iam/roles.json)`);
        continue;
      }
      const [name, role] = entry;
      const accepted = role.environments.map((e) => `'${e}'`).join(', ');
      if (environment !== undefined) {
        if (/\$\{\{/.test(environment))
          findings.push(
            `${where}: job ${job} assumes the ${name} role in an environment chosen by an expression; use one job per environment so the trust (${accepted}) can be checked`,
          );
        else if (!role.environments.includes(environment))
          findings.push(
            `${where}: job ${job} assumes the ${name} role in environment '${environment}'; its trust accepts only ${accepted}`,
          );
        continue;
      }
      if (!role.tags) {
        findings.push(
          `${where}: job ${job} assumes the ${name} role in no environment; its trust accepts only ${accepted}`,
        );
        continue;
      }
      const marker = tagMarker(role.tags);
      const limited =
        tagFilters !== undefined &&
        (tagFilters.every((filter) => filter.includes(marker)) || (body.if ?? '').includes(`'${marker}'`));
      if (!limited)
        findings.push(
          `${where}: job ${job} assumes the ${name} role in no environment, but is not limited to tag pushes matching '${role.tags}' (a tag-only trigger whose filters, or the job's if, require '${marker}')`,
        );
    }
  }
  return findings;
}
