import { describe, expect, it } from '@jest/globals';
import { comparePermissions, type PermissionComparisonInput } from '../permissions/compare-permissions.js';
import { parseGitHubEndpoints } from '../permissions/github-endpoints.js';
import { readAllowedActions } from '../permissions/iam-policies.js';
import type { RecordedActionCalls } from '../permissions/recorded-calls.js';

function calls(aws: string[], github: string[] = []): RecordedActionCalls {
  return { runs: 1, aws: new Set(aws), github: new Set(github) };
}

function input(overrides: Partial<PermissionComparisonInput>): PermissionComparisonInput {
  return {
    recorded: new Map(),
    awsPolicies: new Map(),
    githubEndpoints: new Map(),
    documentedUnused: [],
    permissionOnly: new Set(['iam:PassRole']),
    ...overrides,
  };
}

describe('comparePermissions', () => {
  it('finds nothing when every call is granted and every grant was called', () => {
    const findings = comparePermissions(
      input({
        recorded: new Map([['deploy', calls(['ecs:CreateService'], ['POST /repos/{owner}/{repo}/deployments'])]]),
        awsPolicies: new Map([['deploy', new Set(['ecs:CreateService'])]]),
        githubEndpoints: new Map([['deploy', new Set(['POST /repos/{owner}/{repo}/deployments'])]]),
      }),
    );
    expect(findings).toEqual([]);
  });

  it('reports a call the policy does not grant', () => {
    const findings = comparePermissions(
      input({
        recorded: new Map([['deploy', calls(['ecs:CreateService', 'ecs:DeleteService'])]]),
        awsPolicies: new Map([['deploy', new Set(['ecs:CreateService'])]]),
      }),
    );
    expect(findings).toEqual([
      { kind: 'not-granted', action: 'deploy', backend: 'aws', operation: 'ecs:DeleteService' },
    ]);
  });

  it('reports a grant never called unless it is permission-only or exempted', () => {
    const findings = comparePermissions(
      input({
        recorded: new Map([['deploy', calls(['ecs:CreateService'])]]),
        awsPolicies: new Map([
          ['deploy', new Set(['ecs:CreateService', 'iam:PassRole', 'ecs:DeleteTaskDefinitions', 'ecs:ListTasks'])],
        ]),
        documentedUnused: [{ action: 'deploy', operation: 'ecs:DeleteTaskDefinitions', reason: 'moto lacks it' }],
      }),
    );
    expect(findings).toEqual([{ kind: 'never-called', action: 'deploy', backend: 'aws', operation: 'ecs:ListTasks' }]);
  });

  it('reports GitHub routes called but not documented, and documented but not called', () => {
    const findings = comparePermissions(
      input({
        recorded: new Map([['comment', calls([], ['POST /graphql'])]]),
        githubEndpoints: new Map([['comment', new Set(['GET /user'])]]),
      }),
    );
    expect(findings).toEqual([
      { kind: 'not-granted', action: 'comment', backend: 'github', operation: 'POST /graphql' },
      { kind: 'never-called', action: 'comment', backend: 'github', operation: 'GET /user' },
    ]);
  });

  it('reports an action that calls AWS without any policy file', () => {
    const findings = comparePermissions(input({ recorded: new Map([['sweep', calls(['logs:DeleteLogStream'])]]) }));
    expect(findings).toEqual([
      { kind: 'no-policy', action: 'sweep', backend: 'aws', operations: ['logs:DeleteLogStream'] },
    ]);
  });

  it('reports a documented action that no e2e run recorded', () => {
    const findings = comparePermissions(
      input({ awsPolicies: new Map([['build', new Set(['ecr:GetAuthorizationToken'])]]) }),
    );
    expect(findings).toEqual([{ kind: 'not-recorded', action: 'build' }]);
  });

  it('reports an exemption for a call the suite now makes as stale', () => {
    const findings = comparePermissions(
      input({
        recorded: new Map([['sweep', calls(['ecs:DeleteTaskDefinitions'])]]),
        awsPolicies: new Map([['sweep', new Set(['ecs:DeleteTaskDefinitions'])]]),
        documentedUnused: [{ action: 'sweep', operation: 'ecs:DeleteTaskDefinitions', reason: 'moto lacks it' }],
      }),
    );
    expect(findings).toEqual([
      {
        kind: 'stale-exemption',
        action: 'sweep',
        operation: 'ecs:DeleteTaskDefinitions',
        why: 'the e2e suite does call it now: drop the exemption',
      },
    ]);
  });
});

describe('readAllowedActions', () => {
  it('collects actions of Allow statements only, single strings and lists alike', () => {
    const allowed = readAllowedActions({
      Statement: [
        { Effect: 'Allow', Action: ['ecs:CreateService', 'ecs:UpdateService'] },
        { Effect: 'Allow', Action: 'iam:PassRole' },
        { Effect: 'Deny', Action: 'ecs:DeleteService' },
      ],
    });
    expect([...allowed].sort()).toEqual(['ecs:CreateService', 'ecs:UpdateService', 'iam:PassRole']);
  });
});

describe('parseGitHubEndpoints', () => {
  it('reads the json blocks that name an action and ignores other blocks', () => {
    const markdown = [
      '## a',
      '```json',
      '{ "action": "a", "permissions": { "checks": "write" }, "endpoints": ["POST /repos/{owner}/{repo}/check-runs"] }',
      '```',
      '```json',
      '{ "unrelated": true }',
      '```',
    ].join('\n');
    expect([...parseGitHubEndpoints(markdown).values()]).toEqual([
      { action: 'a', permissions: { checks: 'write' }, endpoints: ['POST /repos/{owner}/{repo}/check-runs'] },
    ]);
  });

  it('refuses an action listed twice', () => {
    const block = '```json\n{ "action": "a", "endpoints": [] }\n```\n';
    expect(() => parseGitHubEndpoints(block + block)).toThrow('lists a twice');
  });
});
