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
const PROMOTION_ROLE = `arn:aws:iam::${SANDBOX_ACCOUNT_ID}:role/preview-actions-promotion`;

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

// The shipped files: the name form must keep working. Whether they also accept the immutable form is being
// changed elsewhere, so it is asserted only on the inline policies below.
describe('the shipped trust policies (docs/iam/oidc-trust-*.json)', () => {
  it('preview: the preview environment in the name form, not pull requests, branches or other environments', () => {
    expect(trustedBy(PREVIEW_ROLE, subjectFor(environmentJob, 'name'))).toBe(true);
    expect(trustedBy(PREVIEW_ROLE, subjectFor(environmentJob, 'name'), 'sigstore')).toBe(false);
    expect(trustedBy(PREVIEW_ROLE, subjectFor(pullRequestJob, 'name'))).toBe(false);
    expect(trustedBy(PREVIEW_ROLE, subjectFor(branchJob, 'name'))).toBe(false);
    expect(trustedBy(PREVIEW_ROLE, subjectFor({ ...environmentJob, environment: 'production' }, 'name'))).toBe(false);
  });

  it('promotion: production and v* tags in the name form, not pull requests nor branches', () => {
    expect(trustedBy(PROMOTION_ROLE, subjectFor(productionJob, 'name'))).toBe(true);
    expect(trustedBy(PROMOTION_ROLE, subjectFor(tagJob, 'name'))).toBe(true);
    expect(trustedBy(PROMOTION_ROLE, subjectFor(pullRequestJob, 'name'))).toBe(false);
    expect(trustedBy(PROMOTION_ROLE, subjectFor(branchJob, 'name'))).toBe(false);
    expect(trustedBy(PROMOTION_ROLE, subjectFor(environmentJob, 'name'))).toBe(false);
  });

  it('another repository of the same name elsewhere is not trusted', () => {
    expect(trustedBy(PROMOTION_ROLE, 'repo:evil-org/shop:environment:production')).toBe(false);
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
