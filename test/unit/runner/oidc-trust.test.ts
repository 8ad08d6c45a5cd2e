import { evaluateTrust } from '../../runner/iam/evaluate-trust.js';
import { claimsFor, mintIdToken, readIdTokenClaims, subjectFor } from '../../runner/iam/oidc-token.js';
import {
  findRoleBinding,
  loadRole,
  sandboxPlaceholders,
  validatedTrustPolicy,
  SANDBOX_ACCOUNT_ID,
} from '../../runner/iam/sandbox-roles.js';
import { exampleJobFacts } from '../../runner/standins/example-job.js';

const PREVIEW_ROLE = `arn:aws:iam::${SANDBOX_ACCOUNT_ID}:role/preview-actions-preview`;
const RC_ROLE = `arn:aws:iam::${SANDBOX_ACCOUNT_ID}:role/preview-actions-release-candidate`;
const PRODUCTION_ROLE = `arn:aws:iam::${SANDBOX_ACCOUNT_ID}:role/preview-actions-production`;

const environmentJob = exampleJobFacts({ environment: 'preview', eventName: 'pull_request', ref: 'refs/pull/7/merge' });
const productionJob = exampleJobFacts({ environment: 'production', ref: 'refs/tags/v1.2.3' });
const tagJob = exampleJobFacts({ ref: 'refs/tags/v1.2.3-rc.1' });
const pullRequestJob = exampleJobFacts({ eventName: 'pull_request', ref: 'refs/pull/7/merge' });
const branchJob = exampleJobFacts({ ref: 'refs/heads/main' });

describe('the OIDC subject GitHub mints', () => {
  it('names the environment, else pull_request, else the ref, in the name form', () => {
    expect(subjectFor(environmentJob, 'name')).toBe('repo:octo-org/shop:environment:preview');
    expect(subjectFor(tagJob, 'name')).toBe('repo:octo-org/shop:ref:refs/tags/v1.2.3-rc.1');
    expect(subjectFor(pullRequestJob, 'name')).toBe('repo:octo-org/shop:pull_request');
    expect(subjectFor(branchJob, 'name')).toBe('repo:octo-org/shop:ref:refs/heads/main');
  });

  it('appends the owner and repository ids after @ in the immutable form', () => {
    expect(subjectFor(environmentJob, 'immutable')).toBe('repo:octo-org@4242/shop@777:environment:preview');
    expect(subjectFor(tagJob, 'immutable')).toBe('repo:octo-org@4242/shop@777:ref:refs/tags/v1.2.3-rc.1');
    expect(subjectFor(pullRequestJob, 'immutable')).toBe('repo:octo-org@4242/shop@777:pull_request');
  });

  it('mints a JWT carrying GitHub claims for the job', () => {
    const claims = readIdTokenClaims(mintIdToken(claimsFor(productionJob, 'sts.amazonaws.com', 'name')));
    expect(claims).toMatchObject({
      iss: 'https://token.actions.githubusercontent.com',
      aud: 'sts.amazonaws.com',
      sub: 'repo:octo-org/shop:environment:production',
      repository: 'octo-org/shop',
      repository_id: '777',
      repository_owner: 'octo-org',
      repository_owner_id: '4242',
      ref: 'refs/tags/v1.2.3',
      ref_type: 'tag',
      environment: 'production',
      job_workflow_ref: 'octo-org/shop/.github/workflows/release.yml@refs/tags/v1.2.3',
      event_name: 'push',
      actor: 'octocat',
      run_id: '1001',
    });
  });
});

function trustedBy(roleArn: string, sub: string, aud = 'sts.amazonaws.com'): boolean {
  const role = loadRole(findRoleBinding(roleArn)!, sandboxPlaceholders('octo-org/shop'));
  return evaluateTrust(role.trustPolicy, roleArn, { sub, aud }).allowed;
}

// The shipped files (docs/iam/roles.json's roles), in both subject forms GitHub mints.
describe('the shipped trust policies (docs/iam/oidc-trust-*.json)', () => {
  const forms = ['name', 'immutable'] as const;

  it('preview: the preview environment, not pull requests, branches or other environments', () => {
    for (const form of forms) {
      expect(trustedBy(PREVIEW_ROLE, subjectFor(environmentJob, form))).toBe(true);
      expect(trustedBy(PREVIEW_ROLE, subjectFor(environmentJob, form), 'sigstore')).toBe(false);
      expect(trustedBy(PREVIEW_ROLE, subjectFor(pullRequestJob, form))).toBe(false);
      expect(trustedBy(PREVIEW_ROLE, subjectFor(branchJob, form))).toBe(false);
      expect(trustedBy(PREVIEW_ROLE, subjectFor({ ...environmentJob, environment: 'production' }, form))).toBe(false);
    }
  });

  it('release-candidate: v*-rc.* tags and the test environment, not final tags, production or pull requests', () => {
    for (const form of forms) {
      expect(trustedBy(RC_ROLE, subjectFor(tagJob, form))).toBe(true);
      expect(trustedBy(RC_ROLE, subjectFor({ ...branchJob, environment: 'test' }, form))).toBe(true);
      expect(trustedBy(RC_ROLE, subjectFor({ ...tagJob, ref: 'refs/tags/v1.2.3' }, form))).toBe(false);
      expect(trustedBy(RC_ROLE, subjectFor(productionJob, form))).toBe(false);
      expect(trustedBy(RC_ROLE, subjectFor(pullRequestJob, form))).toBe(false);
    }
  });

  it('production: the production environment only, not tags, branches or other environments', () => {
    for (const form of forms) {
      expect(trustedBy(PRODUCTION_ROLE, subjectFor(productionJob, form))).toBe(true);
      expect(trustedBy(PRODUCTION_ROLE, subjectFor(tagJob, form))).toBe(false);
      expect(trustedBy(PRODUCTION_ROLE, subjectFor({ ...tagJob, ref: 'refs/tags/v1.2.3' }, form))).toBe(false);
      expect(trustedBy(PRODUCTION_ROLE, subjectFor(pullRequestJob, form))).toBe(false);
      expect(trustedBy(PRODUCTION_ROLE, subjectFor(branchJob, form))).toBe(false);
      expect(trustedBy(PRODUCTION_ROLE, subjectFor(environmentJob, form))).toBe(false);
    }
  });

  it('another repository of the same name elsewhere, or a recycled owner id, is not trusted', () => {
    expect(trustedBy(PRODUCTION_ROLE, 'repo:evil-org/shop:environment:production')).toBe(false);
    expect(trustedBy(PRODUCTION_ROLE, subjectFor({ ...productionJob, repositoryOwnerId: 9999 }, 'immutable'))).toBe(
      false,
    );
  });
});

describe('the trust evaluator on inline policies of both forms', () => {
  const ROLE = `arn:aws:iam::${SANDBOX_ACCOUNT_ID}:role/fixture`;
  function policy(subs: string[]): unknown {
    return validatedTrustPolicy('fixture', {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: {
            Federated: `arn:aws:iam::${SANDBOX_ACCOUNT_ID}:oidc-provider/token.actions.githubusercontent.com`,
          },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
            StringLike: { 'token.actions.githubusercontent.com:sub': subs },
          },
        },
      ],
    });
  }
  const immutableOnly = policy([
    'repo:octo-org@4242/shop@777:environment:production',
    'repo:octo-org@4242/shop@777:ref:refs/tags/v*',
  ]);
  const both = policy([
    'repo:octo-org/shop:environment:production',
    'repo:octo-org@4242/shop@777:environment:production',
  ]);

  it('an immutable-form policy trusts the ids, not the names nor another owner id', () => {
    const aud = 'sts.amazonaws.com';
    expect(evaluateTrust(immutableOnly, ROLE, { sub: subjectFor(productionJob, 'immutable'), aud }).allowed).toBe(true);
    expect(evaluateTrust(immutableOnly, ROLE, { sub: subjectFor(tagJob, 'immutable'), aud }).allowed).toBe(true);
    expect(evaluateTrust(immutableOnly, ROLE, { sub: subjectFor(productionJob, 'name'), aud }).allowed).toBe(false);
    const recycled = subjectFor({ ...productionJob, repositoryOwnerId: 9999 }, 'immutable');
    expect(evaluateTrust(immutableOnly, ROLE, { sub: recycled, aud }).allowed).toBe(false);
    expect(evaluateTrust(immutableOnly, ROLE, { sub: subjectFor(pullRequestJob, 'immutable'), aud }).allowed).toBe(
      false,
    );
  });

  it('a policy listing both forms trusts either', () => {
    const aud = 'sts.amazonaws.com';
    expect(evaluateTrust(both, ROLE, { sub: subjectFor(productionJob, 'name'), aud }).allowed).toBe(true);
    expect(evaluateTrust(both, ROLE, { sub: subjectFor(productionJob, 'immutable'), aud }).allowed).toBe(true);
    expect(evaluateTrust(both, ROLE, { sub: subjectFor(productionJob, 'immutable'), aud: 'other' }).allowed).toBe(
      false,
    );
  });
});
