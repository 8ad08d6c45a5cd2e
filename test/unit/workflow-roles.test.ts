import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { readIamRoles } from '../permissions/iam-roles.js';
import { checkRoleEnvironments } from '../../scripts/workflow-roles.js';

const root = join(import.meta.dirname, '../..');
const roles = readIamRoles(join(root, 'docs/iam'));

function job(role: string, extra: Record<string, unknown> = {}) {
  return {
    'runs-on': 'ubuntu-latest',
    ...extra,
    steps: [{ uses: 'aws-actions/configure-aws-credentials@v4', with: { 'role-to-assume': `\${{ vars.${role} }}` } }],
  };
}

const tagPush = (tags: string[]) => ({ push: { tags } });

describe('checkRoleEnvironments', () => {
  it('passes the shipped release and deploy-form templates', () => {
    for (const name of ['release.yml', 'deploy-form.yml']) {
      const doc = parse(readFileSync(join(root, '.github/workflow-templates', name), 'utf8'));
      expect(checkRoleEnvironments(doc, name, roles)).toEqual([]);
    }
  });

  it('refuses the production role outside the production environment, even on a release tag', () => {
    const doc = { on: tagPush(['v*.*.*']), jobs: { promote: job('AWS_PRODUCTION_ROLE_ARN') } };
    expect(checkRoleEnvironments(doc, 'w.yml', roles)).toEqual([
      "w.yml: job promote assumes the production role in no environment; its trust accepts only 'production'",
    ]);
  });

  it('refuses an environment chosen by an expression', () => {
    const doc = {
      on: { workflow_dispatch: {} },
      jobs: {
        ecs: job('AWS_PRODUCTION_ROLE_ARN', { environment: "${{ inputs.env == 'prod' && 'production' || 'test' }}" }),
      },
    };
    expect(checkRoleEnvironments(doc, 'w.yml', roles)[0]).toMatch(/environment chosen by an expression/);
  });

  it('accepts the release-candidate role in no environment only when the job is limited to RC tags', () => {
    const limitedByIf = {
      on: tagPush(['v*.*.*']),
      jobs: { rc: job('AWS_RC_ROLE_ARN', { if: "contains(github.ref_name, '-rc.')" }) },
    };
    const limitedByFilter = { on: tagPush(['v*-rc.*']), jobs: { rc: job('AWS_RC_ROLE_ARN') } };
    const unlimited = {
      on: tagPush(['v*.*.*']),
      jobs: { rc: job('AWS_RC_ROLE_ARN', { if: "contains(github.ref_name, '-')" }) },
    };
    const onBranch = { on: { push: { branches: ['main'] } }, jobs: { rc: job('AWS_RC_ROLE_ARN') } };
    expect(checkRoleEnvironments(limitedByIf, 'w.yml', roles)).toEqual([]);
    expect(checkRoleEnvironments(limitedByFilter, 'w.yml', roles)).toEqual([]);
    expect(checkRoleEnvironments(unlimited, 'w.yml', roles)[0]).toMatch(
      /not limited to tag pushes matching 'v\*-rc\.\*'/,
    );
    expect(checkRoleEnvironments(onBranch, 'w.yml', roles)).toHaveLength(1);
  });

  it('refuses the release-candidate role in production and names the old shared role variable', () => {
    const doc = {
      on: { workflow_dispatch: {} },
      jobs: {
        a: job('AWS_RC_ROLE_ARN', { environment: 'production' }),
        b: job('AWS_RELEASE_ROLE_ARN', { environment: 'production' }),
      },
    };
    const findings = checkRoleEnvironments(doc, 'w.yml', roles);
    expect(findings[0]).toBe(
      "w.yml: job a assumes the release-candidate role in environment 'production'; its trust accepts only 'test'",
    );
    expect(findings[1]).toMatch(/job b assumes '\$\{\{ vars.AWS_RELEASE_ROLE_ARN \}\}': use one of/);
  });
});
