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

/**
 * Recognises what the AWS SDK, the Cloudflare SDK and Octokit throw for missing or rejected credentials and
 * missing permissions (and answers that are not from the backend at all), and says how to fix it, instead of a
 * raw JSON body or an SDK class name. Matched by shape, not class, so this module loads none of the SDKs.
 * Returns undefined for anything else.
 */
export function explainFailure(error: unknown): Explanation | undefined {
  if (!(error instanceof Error)) return undefined;
  const fields = error as unknown as Fields;
  return explainAws(error, fields) ?? explainCloudflare(fields) ?? explainGitHub(error, fields);
}

function explainAws(error: Error, fields: Fields): Explanation | undefined {
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
export function describeError(error: unknown, options: { withName?: boolean } = {}): string {
  const explained = explainFailure(error)?.message;
  if (explained) return explained;
  if (!(error instanceof Error)) return String(error);
  return options.withName ? `${error.name}: ${error.message}` : error.message;
}
