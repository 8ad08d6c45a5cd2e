/**
 * Stands in for aws-actions/configure-aws-credentials (v4/v5) in its OIDC mode: mints the job's GitHub OIDC
 * token (test/runner/iam/oidc-token.ts), lets the role's shipped trust policy decide the
 * AssumeRoleWithWebIdentity as STS would (iam-simulate), and on success hands the job credentials that only
 * an IAM-evaluating proxy in front of the sandbox's AWS accepts (test/runner/iam/iam-proxy.ts): every later
 * AWS call is checked against the role's permission policies, action and resource.
 *
 * Inputs (the real action.yml's names): role-to-assume, aws-region, audience, role-session-name,
 * role-duration-seconds, mask-aws-account-id, output-credentials. Every other input is refused.
 * Outputs: aws-account-id, authenticated-arn; with output-credentials also aws-access-key-id,
 * aws-secret-access-key, aws-session-token, aws-expiration.
 * Exports: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN (masked), AWS_REGION,
 * AWS_DEFAULT_REGION, and AWS_ENDPOINT_URL = the role's proxy, whose target is the job's AWS_ENDPOINT_URL.
 * Roles: test/runner/iam/sandbox-roles.ts maps role ARNs to docs/iam policy files; a scenario adds its own.
 */
import { randomBytes } from 'node:crypto';
import type { Standin, StandinResult, StandinStep } from '../standin-api.js';
import { evaluateTrust } from '../iam/evaluate-trust.js';
import { iamProxyFor, upstreamOf } from '../iam/iam-proxy.js';
import { claimsFor, mintIdToken } from '../iam/oidc-token.js';
import { findRoleBinding, listRoleBindings, loadRole, sandboxPlaceholders } from '../iam/sandbox-roles.js';
import { failure, readBooleanInput, refuseUnimplementedInputs } from './standin-result.js';

const IMPLEMENTED = [
  'role-to-assume',
  'aws-region',
  'audience',
  'role-session-name',
  'role-duration-seconds',
  'mask-aws-account-id',
  'output-credentials',
] as const;

const REGION = /^[a-z0-9-]+$/;
const SESSION_NAME = /^[\w+=,.@-]*$/;

/** One AssumeRoleWithWebIdentity the stand-in decided, for tests to read. */
export interface RoleAssumption {
  roleArn: string;
  sub: string;
  allowed: boolean;
}

const assumptions: RoleAssumption[] = [];

/** Every assumption decided in this process, oldest first. */
export function listRoleAssumptions(): RoleAssumption[] {
  return [...assumptions];
}

/** See the header. */
export const configureAwsCredentials: Standin = async (step) => {
  const refused = refuseUnimplementedInputs(step, 'aws-actions/configure-aws-credentials', IMPLEMENTED);
  if (refused) return refused;
  const region = step.inputs['aws-region'] || step.env.AWS_REGION || step.env.AWS_DEFAULT_REGION || '';
  if (!REGION.test(region)) return failure(`Region is not valid: ${region}`);
  const roleArn = step.inputs['role-to-assume'] ?? '';
  if (!roleArn) {
    return failure("configure-aws-credentials stand-in: only OIDC with 'role-to-assume' is implemented");
  }
  const sessionName = step.inputs['role-session-name'] || 'GitHubActions';
  if (sessionName.length < 2 || sessionName.length > 64 || !SESSION_NAME.test(sessionName)) {
    return failure(`Role session name is not valid: '${sessionName}'`);
  }
  let outputCredentials: boolean;
  let maskAccountId: boolean;
  try {
    outputCredentials = readBooleanInput(step, 'output-credentials', false);
    maskAccountId = readBooleanInput(step, 'mask-aws-account-id', false);
  } catch (error) {
    return failure((error as Error).message);
  }
  const duration = Number(step.inputs['role-duration-seconds'] || '3600');
  if (!Number.isInteger(duration) || duration < 900 || duration > 43200) {
    return failure(
      `role-duration-seconds must be a whole number from 900 to 43200, got '${step.inputs['role-duration-seconds']}'`,
    );
  }

  if (!step.job.canRequestIdToken) {
    // what the real action does without id-token: write: a hint, then the SDK's default chain finds nothing
    step.log(
      'It looks like you might be trying to authenticate with OIDC. Did you mean to set the `id-token` permission? ' +
        'If you are not trying to authenticate with OIDC and the action is working successfully, you can ignore this message.',
    );
    return failure(
      'Credentials could not be loaded, please check your action inputs: Could not load credentials from any providers',
    );
  }
  return assumeWithOidc(step, { roleArn, region, sessionName, duration, outputCredentials, maskAccountId });
};

interface Request {
  roleArn: string;
  region: string;
  sessionName: string;
  duration: number;
  outputCredentials: boolean;
  maskAccountId: boolean;
}

async function assumeWithOidc(step: StandinStep, request: Request): Promise<StandinResult> {
  const { roleArn, region, sessionName } = request;
  const claims = claimsFor(step.job, step.inputs.audience || 'sts.amazonaws.com', step.job.oidcSubjectForm ?? 'name');
  const token = mintIdToken(claims);
  step.mask(token);
  const denied = failure('Could not assume role with OIDC: Not authorized to perform sts:AssumeRoleWithWebIdentity');
  const binding = findRoleBinding(roleArn);
  if (!binding) {
    step.log(
      `stand-in STS: no role ${roleArn} in the sandbox's role table (${listRoleBindings()
        .map((r) => r.roleArn)
        .join(', ')}); register it with registerRoleBinding`,
    );
    assumptions.push({ roleArn, sub: claims.sub, allowed: false });
    return denied;
  }
  const role = loadRole(
    binding,
    sandboxPlaceholders(step.job.repository, region, {
      ownerId: step.job.repositoryOwnerId,
      repositoryId: step.job.repositoryId,
    }),
  );
  const trust = evaluateTrust(role.trustPolicy, roleArn, claims);
  assumptions.push({ roleArn, sub: claims.sub, allowed: trust.allowed });
  if (!trust.allowed) {
    step.log(`stand-in STS: ${binding.trustPolicyFile} does not trust sub '${claims.sub}' (aud '${claims.aud}')`);
    return denied;
  }
  const target = step.env.AWS_ENDPOINT_URL;
  if (!target) return failure('configure-aws-credentials stand-in: the job has no AWS_ENDPOINT_URL (the sandbox AWS)');
  const proxy = await iamProxyFor(role, upstreamOf(target));
  const credentials = {
    accessKeyId: `ASIA${randomBytes(8).toString('hex').toUpperCase()}`,
    secretAccessKey: randomBytes(30).toString('base64'),
    sessionToken: randomBytes(96).toString('base64'),
    expiration: new Date(Date.now() + request.duration * 1000).toISOString(),
  };
  proxy.addSession({ accessKeyId: credentials.accessKeyId, sessionName, expiresAt: new Date(credentials.expiration) });
  for (const secret of [credentials.accessKeyId, credentials.secretAccessKey, credentials.sessionToken])
    step.mask(secret);
  const account = roleArn.split(':')[4]!;
  const arn = proxy.sessionArn(sessionName);
  if (request.maskAccountId) {
    step.mask(account);
    step.mask(arn);
  }
  step.log(`Authenticated as assumedRoleId AROA${account}:${sessionName}`);
  return {
    outcome: 'success',
    exportEnv: {
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_SESSION_TOKEN: credentials.sessionToken,
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_ENDPOINT_URL: proxy.url,
    },
    outputs: {
      'aws-account-id': account,
      'authenticated-arn': arn,
      ...(request.outputCredentials
        ? {
            'aws-access-key-id': credentials.accessKeyId,
            'aws-secret-access-key': credentials.secretAccessKey,
            'aws-session-token': credentials.sessionToken,
            'aws-expiration': credentials.expiration,
          }
        : {}),
    },
  };
}
