/** A backend failure put in the user's terms. */
export interface Explanation {
  /** One line: what the backend said and what to change. */
  message: string;
  /** True when the fix is the user's (a token, a permission, a credentials step): no stack is printed. */
  usersToFix: boolean;
}

type Fields = Record<string, unknown>;

const AWS_DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation']);
const AWS_BAD_CREDENTIALS = new Set([
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
]);

/** Where the user wrote the cluster, listener and network ids, for messages: e.g. `.github/preview.yml`. */
export interface ExplainOptions {
  /** Names the place the ids come from; default: the step's inputs. */
  settingsFrom?: string;
}

/**
 * An AWS resource the user named that does not exist: which setting names it and how to list the right values.
 * Matched on the SDK error's name, and on the message for ELBv2's ValidationError about a VPC.
 */
const MISSING_INFRASTRUCTURE: {
  matches: (name: string, message: string) => boolean;
  what: string;
  setting: string;
  find: string;
}[] = [
  {
    matches: (name) => name === 'ClusterNotFoundException',
    what: 'ECS has no such cluster',
    setting: 'cluster',
    find: '`aws ecs list-clusters` lists the clusters',
  },
  {
    matches: (name) => name === 'ListenerNotFoundException' || name === 'ListenerNotFound',
    what: 'The load balancer listener does not exist',
    setting: 'listener-arn',
    find: "`aws elbv2 describe-listeners --load-balancer-arn <the ALB's ARN>` lists a load balancer's listeners (use the HTTPS one)",
  },
  {
    matches: (name) => name === 'LoadBalancerNotFoundException' || name === 'LoadBalancerNotFound',
    what: 'The load balancer does not exist',
    setting: 'listener-arn',
    find: '`aws elbv2 describe-load-balancers` lists the load balancers',
  },
  {
    matches: (name, message) =>
      name === 'InvalidVpcID.NotFound' || /\bVPC ID '?vpc-[0-9a-f]+'? (is not found|does not exist)/i.test(message),
    what: 'The VPC does not exist',
    setting: 'vpc-id',
    find: "`aws elbv2 describe-load-balancers --query 'LoadBalancers[].[LoadBalancerName,VpcId]'` shows the load balancer's VPC, which it must be",
  },
  {
    matches: (name, message) =>
      name === 'InvalidSubnetID.NotFound' || /\bsubnet ID '?subnet-[0-9a-f]+'? does not exist/i.test(message),
    what: 'A subnet does not exist',
    setting: 'subnets',
    find: "`aws ec2 describe-subnets --filters Name=vpc-id,Values=<vpc-id> --query 'Subnets[].SubnetId'` lists the VPC's subnets",
  },
  {
    matches: (name, message) =>
      name === 'InvalidGroup.NotFound' || /\bsecurity group '?sg-[0-9a-f]+'? does not exist/i.test(message),
    what: 'A security group does not exist',
    setting: 'security-groups',
    find: "`aws ec2 describe-security-groups --filters Name=vpc-id,Values=<vpc-id> --query 'SecurityGroups[].[GroupId,GroupName]'` lists the VPC's groups",
  },
];

/**
 * Recognises what the AWS SDK, the Cloudflare SDK and Octokit throw for missing or rejected credentials,
 * missing permissions, and clusters, listeners and networks that do not exist (and answers that are not from
 * the backend at all), and says how to fix it, instead of a raw JSON body or an SDK class name. Matched by shape,
 * not class, so this module loads none of the SDKs. Returns undefined for anything else.
 */
export function explainFailure(error: unknown, options: ExplainOptions = {}): Explanation | undefined {
  if (!(error instanceof Error)) return undefined;
  const fields = error as unknown as Fields;
  return explainAws(error, fields, options) ?? explainCloudflare(fields) ?? explainGitHub(error, fields);
}

function explainMissingInfrastructure(error: Error, options: ExplainOptions): Explanation | undefined {
  const missing = MISSING_INFRASTRUCTURE.find((entry) => entry.matches(error.name, error.message));
  if (!missing) return undefined;
  const where = options.settingsFrom ? `${missing.setting} in ${options.settingsFrom}` : `the ${missing.setting} input`;
  return {
    message: `${missing.what} (${error.name}: ${error.message}): check ${where}; ${missing.find} in the account and region the credentials step chose (aws-region)`,
    usersToFix: true,
  };
}

function explainAws(error: Error, fields: Fields, options: ExplainOptions): Explanation | undefined {
  if (
    error.name === 'CredentialsProviderError' ||
    /^Could not load credentials from any providers/.test(error.message)
  ) {
    return {
      message:
        'No AWS credentials were found: add aws-actions/configure-aws-credentials (role-to-assume, aws-region) before this step, with id-token: write',
      usersToFix: true,
    };
  }
  if (typeof fields.$metadata !== 'object' && !/Deserialization error/.test(error.message)) return undefined;
  if (AWS_DENIED.has(error.name) || /is not authorized to perform/.test(error.message)) {
    return {
      message: `AWS denied the call (${error.name}: ${error.message}): add the permission to the role's policy; docs/iam/ lists what each action calls`,
      usersToFix: true,
    };
  }
  const missing = explainMissingInfrastructure(error, options);
  if (missing) return missing;
  if (AWS_BAD_CREDENTIALS.has(error.name)) {
    return {
      message: `AWS rejected the credentials (${error.name}: ${error.message}): check the configure-aws-credentials step and that the session has not expired`,
      usersToFix: true,
    };
  }
  if (/Deserialization error/.test(error.message)) {
    return {
      message:
        'An AWS endpoint answered with something that is not an AWS response: check AWS_ENDPOINT_URL (unset it for AWS itself) and any proxy between the runner and AWS',
      usersToFix: true,
    };
  }
  return undefined;
}

function explainCloudflare(fields: Fields): Explanation | undefined {
  const { status, errors } = fields;
  if (typeof status !== 'number' || !Array.isArray(errors)) return undefined;
  const said =
    errors
      .map((e) => {
        const entry = (e ?? {}) as Fields;
        return `${String(entry.message ?? '')}${typeof entry.code === 'number' ? ` (code ${entry.code})` : ''}`.trim();
      })
      .filter(Boolean)
      .join('; ') || 'no error detail';
  if (status === 401) {
    return {
      message: `Cloudflare rejected the API token (401: ${said}): pass a valid API token as cloudflare-api-token, with Zone:Read and DNS:Edit on the zone`,
      usersToFix: true,
    };
  }
  if (status === 403) {
    return {
      message: `The Cloudflare API token may not do this (403: ${said}): give it Zone:Read and DNS:Edit on the preview zone`,
      usersToFix: true,
    };
  }
  return { message: `Cloudflare answered ${status}: ${said}`, usersToFix: false };
}

function explainGitHub(error: Error, fields: Fields): Explanation | undefined {
  const request = fields.request as Fields | undefined;
  if (error.name !== 'HttpError' || typeof fields.status !== 'number' || typeof request?.url !== 'string') {
    return undefined;
  }
  const path = new URL(request.url).pathname;
  const said = error.message.replace(/ - https:\/\/docs\.github\.com\S*$/, '');
  if (fields.status === 401) {
    return {
      message: `GitHub rejected the token (401: ${said}): pass a valid github-token, or leave it at its default`,
      usersToFix: true,
    };
  }
  if (fields.status === 403 && /not accessible by|must have|permission/i.test(said)) {
    return {
      message: `The GitHub token may not ${String(request.method ?? 'call')} ${path} (403: ${said}): grant it in the job's permissions: block; docs/github-permissions.md lists what each action needs`,
      usersToFix: true,
    };
  }
  return undefined;
}

/**
 * The one-line text to report for any error: its {@link explainFailure} when recognised, else its
 * message (after its name, with `withName`).
 */
export function describeError(error: unknown, options: { withName?: boolean } & ExplainOptions = {}): string {
  const explained = explainFailure(error, options)?.message;
  if (explained) return explained;
  if (!(error instanceof Error)) return String(error);
  return options.withName ? `${error.name}: ${error.message}` : error.message;
}
