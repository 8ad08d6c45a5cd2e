import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Cloudflare from 'cloudflare';
import { AccessDeniedException, ClusterNotFoundException, ECSServiceException } from '@aws-sdk/client-ecs';
import {
  ElasticLoadBalancingV2ServiceException,
  ListenerNotFoundException,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { EC2ServiceException } from '@aws-sdk/client-ec2';
import { getOctokit } from '@actions/github';
import { describeError, explainFailure } from './explain-failure.js';

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

  describe('a cluster, listener or network that does not exist', () => {
    const metadata = { httpStatusCode: 400 };
    const cluster = new ClusterNotFoundException({ message: 'Cluster not found.', $metadata: metadata });
    const listener = new ListenerNotFoundException({ message: 'One or more listeners not found', $metadata: metadata });
    const vpcFromElb = new ElasticLoadBalancingV2ServiceException({
      name: 'ValidationError',
      $fault: 'client',
      message: "The VPC ID 'vpc-0123456789abcdef0' is not found",
      $metadata: metadata,
    });
    const ec2 = (name: string, message: string) =>
      new EC2ServiceException({ name, $fault: 'client', message, $metadata: metadata });

    it("names the environment file's field for deploy-pr-env and says how to list the right values", () => {
      const from = { settingsFrom: 'the environment file (environment-file)' };
      expect(explainFailure(cluster, from)).toEqual({
        message:
          'ECS has no such cluster (ClusterNotFoundException: Cluster not found.): check cluster in the environment file (environment-file); `aws ecs list-clusters` lists the clusters in the account and region the credentials step chose (aws-region)',
        usersToFix: true,
      });
      expect(explainFailure(listener, from)?.message).toMatch(
        /^The load balancer listener does not exist \(ListenerNotFoundException: One or more listeners not found\): check listener-arn in the environment file \(environment-file\); `aws elbv2 describe-listeners --load-balancer-arn/,
      );
      expect(explainFailure(vpcFromElb, from)?.message).toMatch(
        /^The VPC does not exist \(ValidationError: The VPC ID 'vpc-0123456789abcdef0' is not found\): check vpc-id in the environment file/,
      );
    });

    it('names the input for the other actions', () => {
      expect(explainFailure(cluster)?.message).toMatch(/: check the cluster input; `aws ecs list-clusters`/);
      expect(describeError(listener)).toMatch(/: check the listener-arn input;/);
    });

    it('recognises EC2 and ECS wording for a VPC, subnet or security group that does not exist', () => {
      expect(explainFailure(ec2('InvalidVpcID.NotFound', "The vpc ID 'vpc-1' does not exist"))?.message).toMatch(
        /^The VPC does not exist .*check the vpc-id input/,
      );
      expect(
        explainFailure(ec2('InvalidSubnetID.NotFound', "The subnet ID 'subnet-1' does not exist"))?.message,
      ).toMatch(/^A subnet does not exist .*check the subnets input; `aws ec2 describe-subnets/);
      const ecsSubnet = new ECSServiceException({
        name: 'InvalidParameterException',
        $fault: 'client',
        message: "Error retrieving subnet information for [subnet-0abc]: The subnet ID 'subnet-0abc' does not exist",
        $metadata: metadata,
      });
      expect(explainFailure(ecsSubnet)?.message).toMatch(/^A subnet does not exist/);
      expect(explainFailure(ec2('InvalidGroup.NotFound', "The security group 'sg-1' does not exist"))?.message).toMatch(
        /check the security-groups input/,
      );
    });

    it('leaves other validation errors alone', () => {
      const other = new ElasticLoadBalancingV2ServiceException({
        name: 'ValidationError',
        $fault: 'client',
        message: 'Health check interval must be greater than the timeout.',
        $metadata: metadata,
      });
      expect(explainFailure(other)).toBeUndefined();
    });
  });
});
