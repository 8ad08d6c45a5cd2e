import { describe, expect, it } from '@jest/globals';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkRolePolicies, readIamRoles } from '../permissions/iam-roles.js';
import { trustAccepts } from '../permissions/trust-policy.js';

const dir = join(import.meta.dirname, '../../docs/iam');
const roles = readIamRoles(dir);
const ACCOUNT = '123456789012';
const placeholders: Record<string, string> = {
  ACCOUNT_ID: ACCOUNT,
  REGION: 'eu-west-1',
  PRODUCTION_CLUSTER: 'services-prod',
  TEST_CLUSTER: 'services-test',
  PREVIEW_CLUSTER: 'pr-environments',
  PREVIEW_LOG_GROUP: '/ecs/pr-environments',
};

function readPolicy(file: string): unknown {
  let text = readFileSync(join(dir, file), 'utf8');
  for (const [name, value] of Object.entries(placeholders)) text = text.replaceAll(name, value);
  return JSON.parse(text);
}

function trustOf(role: string): unknown {
  return readPolicy(roles.get(role)!.trust);
}

/** Both subject forms GitHub issues: by name, and the immutable form with owner and repository ids. */
const forms = ['repo:ORG/REPO', 'repo:ORG@OWNER_ID/REPO@REPO_ID'];

describe('trust policies', () => {
  it('lets only the production environment assume the production role, in either subject form', () => {
    const trust = trustOf('production');
    for (const repo of forms) {
      expect(trustAccepts(trust, { sub: `${repo}:environment:production` })).toBe(true);
      expect(trustAccepts(trust, { sub: `${repo}:ref:refs/tags/v1.2.3` })).toBe(false);
      expect(trustAccepts(trust, { sub: `${repo}:ref:refs/tags/v1.2.3-rc.1` })).toBe(false);
      expect(trustAccepts(trust, { sub: `${repo}:environment:test` })).toBe(false);
      expect(trustAccepts(trust, { sub: `${repo}:ref:refs/heads/main` })).toBe(false);
    }
    expect(trustAccepts(trust, { sub: 'repo:ORG/REPO:environment:production', aud: 'other' })).toBe(false);
    expect(trustAccepts(trust, { sub: 'repo:OTHER/REPO:environment:production' })).toBe(false);
  });

  it('lets only RC tag refs and the test environment assume the release-candidate role', () => {
    const trust = trustOf('release-candidate');
    for (const repo of forms) {
      expect(trustAccepts(trust, { sub: `${repo}:ref:refs/tags/v1.2.3-rc.1` })).toBe(true);
      expect(trustAccepts(trust, { sub: `${repo}:ref:refs/tags/v1.2.3-rc.10` })).toBe(true);
      expect(trustAccepts(trust, { sub: `${repo}:environment:test` })).toBe(true);
      expect(trustAccepts(trust, { sub: `${repo}:ref:refs/tags/v1.2.3` })).toBe(false);
      expect(trustAccepts(trust, { sub: `${repo}:ref:refs/tags/v1.2.3-beta.1` })).toBe(false);
      expect(trustAccepts(trust, { sub: `${repo}:environment:production` })).toBe(false);
      expect(trustAccepts(trust, { sub: `${repo}:ref:refs/heads/v1-rc.1` })).toBe(false);
      expect(trustAccepts(trust, { sub: `${repo}:pull_request` })).toBe(false);
    }
  });

  it('lets the preview environment, and nothing else, assume the preview role', () => {
    const trust = trustOf('preview');
    for (const repo of forms) {
      expect(trustAccepts(trust, { sub: `${repo}:environment:preview` })).toBe(true);
      expect(trustAccepts(trust, { sub: `${repo}:pull_request` })).toBe(false);
    }
  });

  it('accepts exactly where roles.json says, so lint-workflows checks what the trust enforces', () => {
    for (const [name, role] of roles) {
      const trust = trustOf(name);
      for (const environment of ['preview', 'test', 'production', 'dev']) {
        const expected = role.environments.includes(environment);
        expect([name, environment, trustAccepts(trust, { sub: `repo:ORG/REPO:environment:${environment}` })]).toEqual([
          name,
          environment,
          expected,
        ]);
      }
      const rcTag = trustAccepts(trust, { sub: 'repo:ORG/REPO:ref:refs/tags/v2.0.0-rc.3' });
      expect([name, rcTag]).toEqual([name, role.tags === 'v*-rc.*']);
    }
  });
});

async function allowed(role: string, action: string, resource: string): Promise<boolean> {
  const identityPolicies = Object.values(roles.get(role)!.policies).map((file) => ({
    name: file,
    policy: readPolicy(file),
  }));
  const result = await runSimulation(
    {
      request: {
        principal: `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/github`,
        action,
        resource: { resource, accountId: ACCOUNT },
        contextVariables: {},
      },
      identityPolicies,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    {},
  );
  if (result.resultType !== 'single') throw new Error(`simulation: ${JSON.stringify(result)}`);
  return result.overallResult === 'Allowed';
}

const service = (cluster: string, name: string) => `arn:aws:ecs:eu-west-1:${ACCOUNT}:service/${cluster}/${name}`;

describe('role permissions', () => {
  it('lets the release-candidate role redeploy test services and no production service', async () => {
    expect(await allowed('release-candidate', 'ecs:UpdateService', service('services-test', 'api-test'))).toBe(true);
    expect(await allowed('release-candidate', 'ecs:UpdateService', service('services-prod', 'api-prod'))).toBe(false);
    const deployment = (cluster: string) =>
      `arn:aws:ecs:eu-west-1:${ACCOUNT}:service-deployment/${cluster}/api-test/d-1`;
    expect(await allowed('release-candidate', 'ecs:StopServiceDeployment', deployment('services-test'))).toBe(true);
    expect(await allowed('release-candidate', 'ecs:StopServiceDeployment', deployment('services-prod'))).toBe(false);
  });

  it('lets the preview role sweep and deploy previews with and without a name-prefix, and nothing else', async () => {
    const region = `eu-west-1:${ACCOUNT}`;
    const targetGroup = (name: string) => `arn:aws:elasticloadbalancing:${region}:targetgroup/${name}/0123456789abcdef`;
    const stream = (name: string) => `arn:aws:logs:${region}:log-group:/ecs/pr-environments:log-stream:${name}`;
    const cluster = 'pr-environments';
    for (const name of ['pr-12-api', 'shop-pr-12-api']) {
      expect([name, await allowed('preview', 'elasticloadbalancing:DeleteTargetGroup', targetGroup(name))]).toEqual([
        name,
        true,
      ]);
      expect([name, await allowed('preview', 'elasticloadbalancing:CreateTargetGroup', targetGroup(name))]).toEqual([
        name,
        true,
      ]);
      expect([name, await allowed('preview', 'ecs:DeleteService', service(cluster, name))]).toEqual([name, true]);
      expect([name, await allowed('preview', 'ecs:UpdateService', service(cluster, name))]).toEqual([name, true]);
      expect([name, await allowed('preview', 'logs:DeleteLogStream', stream(`${name}/api/abc`))]).toEqual([name, true]);
    }
    for (const name of ['payments-api', 'preview-12']) {
      expect([name, await allowed('preview', 'elasticloadbalancing:DeleteTargetGroup', targetGroup(name))]).toEqual([
        name,
        false,
      ]);
      expect([name, await allowed('preview', 'ecs:DeleteService', service(cluster, name))]).toEqual([name, false]);
    }
  });

  it('lets the production role redeploy production services', async () => {
    expect(await allowed('production', 'ecs:UpdateService', service('services-prod', 'api-prod'))).toBe(true);
  });

  it('keeps each role variant allowing the same API calls as its action, and every file present', () => {
    expect(checkRolePolicies(dir, roles)).toEqual([]);
  });
});
