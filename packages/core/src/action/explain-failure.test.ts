import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Cloudflare from 'cloudflare';
import { AccessDeniedException, ECSServiceException } from '@aws-sdk/client-ecs';
import { getOctokit } from '@actions/github';
import { explainFailure } from './explain-failure.js';

const cloudflareError = (status: number, errors: { code: number; message: string }[]) =>
  Cloudflare.APIError.generate(status, { success: false, errors }, undefined, new Headers());

describe('explainFailure', () => {
  let github: Server;
  let githubUrl = '';

  beforeAll(async () => {
    // Octokit's own RequestError, from a server answering as GitHub does.
    github = createServer((req, res) => {
      const [status, message] =
        req.url === '/user' ? [401, 'Bad credentials'] : [403, 'Resource not accessible by integration'];
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message, documentation_url: 'https://docs.github.com/rest' }));
    });
    await new Promise<void>((resolve) => github.listen(0, '127.0.0.1', resolve));
    githubUrl = `http://127.0.0.1:${(github.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => github.close(resolve));
  });

  it('says a rejected Cloudflare token is the user to fix, without the raw JSON body', () => {
    const explained = explainFailure(cloudflareError(401, [{ code: 10000, message: 'Authentication error' }]));
    expect(explained).toEqual({
      message:
        'Cloudflare rejected the API token (401: Authentication error (code 10000)): pass a valid API token as cloudflare-api-token, with Zone:Read and DNS:Edit on the zone',
      usersToFix: true,
    });
  });

  it('names the Cloudflare permissions on a 403, and leaves other Cloudflare answers ours', () => {
    expect(
      explainFailure(cloudflareError(403, [{ code: 9109, message: 'Unauthorized to access requested resource' }])),
    ).toMatchObject({
      message: expect.stringMatching(
        /^The Cloudflare API token may not do this \(403: Unauthorized to access requested resource \(code 9109\)\): give it Zone:Read and DNS:Edit/,
      ),
      usersToFix: true,
    });
    expect(explainFailure(cloudflareError(500, [{ code: 1000, message: 'Internal' }]))).toEqual({
      message: 'Cloudflare answered 500: Internal (code 1000)',
      usersToFix: false,
    });
  });

  it('explains AWS access denied, rejected credentials and missing credentials', () => {
    const denied = new AccessDeniedException({
      message: 'User: arn:aws:sts::1:assumed-role/preview/gha is not authorized to perform: ecs:CreateService',
      $metadata: { httpStatusCode: 400 },
    });
    expect(explainFailure(denied)).toMatchObject({
      message: expect.stringMatching(
        /^AWS denied the call \(AccessDeniedException: User: .* ecs:CreateService\): add the permission to the role's policy; docs\/iam\//,
      ),
      usersToFix: true,
    });
    const expired = new ECSServiceException({
      name: 'ExpiredTokenException',
      $fault: 'client',
      message: 'The security token included in the request is expired',
      $metadata: { httpStatusCode: 400 },
    });
    expect(explainFailure(expired)?.message).toMatch(
      /^AWS rejected the credentials \(ExpiredTokenException: The security token/,
    );
    const missing = Object.assign(new Error('Could not load credentials from any providers'), {
      name: 'CredentialsProviderError',
    });
    expect(explainFailure(missing)?.message).toMatch(
      /^No AWS credentials were found: add aws-actions\/configure-aws-credentials/,
    );
  });

  it('explains a non-AWS answer to an AWS call', () => {
    const error = Object.assign(
      new Error(
        '@aws-sdk XML parse error: unexpected content. Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.',
      ),
      { $metadata: {} },
    );
    expect(explainFailure(error)?.message).toMatch(
      /^An AWS endpoint answered with something that is not an AWS response: check AWS_ENDPOINT_URL/,
    );
  });

  it('explains a rejected GitHub token and a missing permission, naming the call', async () => {
    const octokit = getOctokit('ghs_bad', { baseUrl: githubUrl, request: { retries: 0 } });
    const unauthorized = await octokit.rest.users.getAuthenticated().catch((e: unknown) => e);
    expect(explainFailure(unauthorized)).toEqual({
      message:
        'GitHub rejected the token (401: Bad credentials): pass a valid github-token, or leave it at its default',
      usersToFix: true,
    });
    const forbidden = await octokit.rest.issues
      .createComment({ owner: 'o', repo: 'r', issue_number: 1, body: 'x' })
      .catch((e: unknown) => e);
    expect(explainFailure(forbidden)).toEqual({
      message:
        "The GitHub token may not POST /repos/o/r/issues/1/comments (403: Resource not accessible by integration): grant it in the job's permissions: block; docs/github-permissions.md lists what each action needs",
      usersToFix: true,
    });
  });

  it('leaves our own errors and other backend errors alone', () => {
    expect(explainFailure(new TypeError('boom'))).toBeUndefined();
    expect(
      explainFailure(
        new ECSServiceException({ name: 'ServiceNotFoundException', $fault: 'client', message: 'x', $metadata: {} }),
      ),
    ).toBeUndefined();
    expect(explainFailure('a string')).toBeUndefined();
  });
});
