import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeIamProxies } from '../../runner/iam/iam-proxy.js';
import { registerRoleBinding, resetRoleBindings, SANDBOX_ACCOUNT_ID } from '../../runner/iam/sandbox-roles.js';
import {
  configureAwsCredentials,
  listRoleAssumptions,
} from '../../runner/standins/aws-actions-configure-aws-credentials.js';
import { exampleStep } from '../../runner/standins/example-job.js';

const ROLE = `arn:aws:iam::${SANDBOX_ACCOUNT_ID}:role/immutable-production`;
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'trust-fixture-'));
  const trust = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: 'arn:aws:iam::ACCOUNT_ID:oidc-provider/token.actions.githubusercontent.com' },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: {
            'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
            'token.actions.githubusercontent.com:sub': 'repo:octo-org@4242/shop@777:environment:production',
          },
        },
      },
    ],
  };
  writeFileSync(join(dir, 'trust.json'), JSON.stringify(trust));
  registerRoleBinding({
    roleArn: ROLE,
    trustPolicyFile: join(dir, 'trust.json'),
    permissionPolicyFiles: ['docs/iam/retag-promote.json'],
  });
});

afterAll(async () => {
  resetRoleBindings();
  await closeIamProxies();
  rmSync(dir, { recursive: true, force: true });
});

function assume(form: 'name' | 'immutable', inputs: Record<string, string> = {}) {
  const step = exampleStep(
    'aws-actions/configure-aws-credentials@v4',
    { 'role-to-assume': ROLE, 'aws-region': 'eu-west-1', ...inputs },
    { job: { environment: 'production', oidcSubjectForm: form }, env: { AWS_ENDPOINT_URL: 'http://127.0.0.1:9' } },
  );
  return { step, result: configureAwsCredentials(step) };
}

describe('the configure-aws-credentials stand-in', () => {
  it("mints the subject in the job's form: a policy on ids trusts the immutable form only", async () => {
    expect(await assume('name').result).toEqual({
      outcome: 'failure',
      error: 'Could not assume role with OIDC: Not authorized to perform sts:AssumeRoleWithWebIdentity',
    });
    const { step, result } = assume('immutable');
    expect(await result).toMatchObject({
      outcome: 'success',
      exportEnv: { AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'eu-west-1' },
      outputs: { 'aws-account-id': SANDBOX_ACCOUNT_ID },
    });
    expect(listRoleAssumptions().slice(-2)).toEqual([
      { roleArn: ROLE, sub: 'repo:octo-org/shop:environment:production', allowed: false },
      { roleArn: ROLE, sub: 'repo:octo-org@4242/shop@777:environment:production', allowed: true },
    ]);
    expect(step.masked).toHaveLength(4); // the ID token, then key id, secret and session token
  });

  it('outputs the credentials only with output-credentials, and masks the account with mask-aws-account-id', async () => {
    const plain = await assume('immutable').result;
    expect(Object.keys(plain.outputs ?? {}).sort()).toEqual(['authenticated-arn', 'aws-account-id']);
    const { step, result } = assume('immutable', { 'output-credentials': 'true', 'mask-aws-account-id': 'true' });
    const outputs = (await result).outputs ?? {};
    expect(Object.keys(outputs).sort()).toEqual([
      'authenticated-arn',
      'aws-access-key-id',
      'aws-account-id',
      'aws-expiration',
      'aws-secret-access-key',
      'aws-session-token',
    ]);
    expect(step.masked).toEqual(expect.arrayContaining([outputs['aws-secret-access-key'], SANDBOX_ACCOUNT_ID]));
  });

  it('is refused for a role the sandbox does not know, and says which roles it knows', async () => {
    const step = exampleStep('aws-actions/configure-aws-credentials@v4', {
      'role-to-assume': `arn:aws:iam::${SANDBOX_ACCOUNT_ID}:role/nobody`,
      'aws-region': 'us-east-1',
    });
    expect(await configureAwsCredentials(step)).toMatchObject({ outcome: 'failure' });
    expect(step.logged[0]).toMatch(/no role .*role\/nobody in the sandbox's role table .*preview-actions-preview/);
  });

  it('rejects a malformed boolean input naming it', async () => {
    expect(await assume('immutable', { 'output-credentials': 'yes' }).result).toMatchObject({
      outcome: 'failure',
      error: expect.stringContaining('output-credentials'),
    });
  });
});
