import { describe, expect, it } from '@jest/globals';
import { nameOperation } from '../sandbox/fault-proxy/operations.js';
import { FaultRules, globMatches } from '../sandbox/fault-proxy/rules.js';

const scope = (service: string): string =>
  `AWS4-HMAC-SHA256 Credential=AKID/20261123/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=00`;

describe('fault proxy operation names', () => {
  it('names AWS JSON, query, EC2 and rpc-v2 calls service:Operation, marks reads and reads the signing key', () => {
    expect(
      nameOperation('aws', {
        method: 'POST',
        path: '/',
        headers: { authorization: scope('ecs'), 'x-amz-target': 'AmazonEC2ContainerServiceV20141113.UpdateService' },
      }),
    ).toEqual({ operation: 'ecs:UpdateService', mutating: true, awsProtocol: 'json', accessKeyId: 'AKID' });
    expect(
      nameOperation('aws', {
        method: 'POST',
        path: '/',
        headers: { authorization: scope('elasticloadbalancing') },
        body: Buffer.from('Action=DescribeTargetGroups&Version=2015-12-01'),
      }),
    ).toEqual({
      operation: 'elasticloadbalancing:DescribeTargetGroups',
      mutating: false,
      awsProtocol: 'query',
      accessKeyId: 'AKID',
    });
    expect(
      nameOperation('aws', {
        method: 'POST',
        path: '/',
        headers: { authorization: scope('ec2') },
        body: Buffer.from('Action=CreateSecurityGroup&Version=2016-11-15'),
      }),
    ).toEqual({ operation: 'ec2:CreateSecurityGroup', mutating: true, awsProtocol: 'ec2', accessKeyId: 'AKID' });
    expect(
      nameOperation('aws', {
        method: 'POST',
        path: '/service/GraniteServiceVersion20100801/operation/GetMetricData',
        headers: { authorization: scope('monitoring') },
      }),
    ).toMatchObject({ operation: 'monitoring:GetMetricData', mutating: false });
    const batchGet = nameOperation('aws', {
      method: 'POST',
      path: '/',
      headers: { authorization: scope('ecr'), 'x-amz-target': 'AmazonEC2ContainerRegistry_V20150921.BatchGetImage' },
    });
    expect(batchGet.mutating).toBe(false);
  });

  it("names GitHub REST calls with the OpenAPI description's templates", () => {
    const name = (method: string, path: string): string =>
      nameOperation('github', { method, path, headers: {} }).operation;
    expect(name('GET', '/repos/acme/shop/pulls/42')).toBe('GET /repos/{owner}/{repo}/pulls/{pull_number}');
    expect(name('PATCH', '/repos/acme/shop/issues/comments/99')).toBe(
      'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}',
    );
    expect(name('POST', '/repos/acme/shop/deployments/7/statuses')).toBe(
      'POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
    );
    expect(name('GET', '/repos/acme/shop/commits/0123456789abcdef0123456789abcdef01234567/check-runs')).toBe(
      'GET /repos/{owner}/{repo}/commits/{ref}/check-runs',
    );
    expect(name('GET', '/repos/acme/shop/contents/infra/preview/env.yml')).toBe(
      'GET /repos/{owner}/{repo}/contents/{path}',
    );
    expect(name('GET', '/repos/acme/shop/git/ref/heads/main')).toBe('GET /repos/{owner}/{repo}/git/ref/{ref}');
    expect(name('GET', '/user')).toBe('GET /user');
    expect(name('GET', '/not-github/123/0123456789abcdef0123456789abcdef01234567')).toBe('GET /not-github/{id}/{sha}');
    expect(
      nameOperation('github', { method: 'DELETE', path: '/repos/a/b/issues/comments/1', headers: {} }).mutating,
    ).toBe(true);
  });

  it('tells GraphQL queries from mutations', () => {
    const graphql = (query: string) =>
      nameOperation('github', {
        method: 'POST',
        path: '/graphql',
        headers: {},
        body: Buffer.from(JSON.stringify({ query })),
      });
    expect(graphql('query Pulls { repository(owner: "a", name: "b") { id } }')).toEqual({
      operation: 'POST /graphql',
      mutating: false,
    });
    expect(graphql('{ viewer { login } }').mutating).toBe(false);
    expect(graphql('# why\nmutation Minimize { minimizeComment(input: {}) { clientMutationId } }').mutating).toBe(true);
  });

  it('names Cloudflare and registry routes', () => {
    const zone = '023e105f4ecef8ad9ca31a8372d0c353';
    const record = '372e67954025e0ba6aaa6d586b9e0b59';
    expect(
      nameOperation('cloudflare', { method: 'PATCH', path: `/zones/${zone}/dns_records/${record}`, headers: {} }),
    ).toEqual({
      operation: 'PATCH /zones/{zone_id}/dns_records/{dns_record_id}',
      mutating: true,
    });
    expect(
      nameOperation('cloudflare', { method: 'POST', path: `/zones/${zone}/dns_records/batch`, headers: {} }).operation,
    ).toBe('POST /zones/{zone_id}/dns_records/batch');
    const registry = (method: string, path: string) => nameOperation('registry', { method, path, headers: {} });
    expect(registry('HEAD', '/v2/acme/shop/api/manifests/sha256:abc')).toEqual({
      operation: 'HEAD /v2/{name}/manifests/{reference}',
      mutating: false,
    });
    expect(registry('POST', '/v2/api/blobs/uploads/').operation).toBe('POST /v2/{name}/blobs/uploads/');
    expect(registry('PATCH', '/v2/api/blobs/uploads/5f1e-aa').operation).toBe('PATCH /v2/{name}/blobs/uploads/{uuid}');
    expect(registry('GET', '/v2/a/b/tags/list').operation).toBe('GET /v2/{name}/tags/list');
    expect(registry('GET', '/v2/').operation).toBe('GET /v2/');
  });
});

describe('fault rules', () => {
  it('matches globs over whole names', () => {
    expect(globMatches('ecs:*', 'ecs:UpdateService')).toBe(true);
    expect(globMatches('ecs:*', 'elasticloadbalancing:CreateRule')).toBe(false);
    expect(globMatches('* /v2/{name}/manifests/{reference}', 'HEAD /v2/{name}/manifests/{reference}')).toBe(true);
    expect(globMatches('GET /repos/*', 'POST /repos/{owner}/{repo}')).toBe(false);
  });

  it('sums latencies, lets the first rule with a fault decide, and spends budgets', () => {
    const rules = new FaultRules();
    rules.add({ target: 'aws', operation: 'ecs:*', latencyMs: 20, times: 2 });
    rules.add({ target: 'aws', throttle: 1, status5xx: { times: 1, code: 503 }, reset: 1 });
    rules.add({ target: 'aws', latencyMs: 5 });
    expect(rules.decide('aws', 'ecs:ListClusters', false)).toEqual({
      latencyMs: 25,
      fault: { kind: 'throttle', retryAfterSeconds: 1 },
    });
    expect(rules.decide('aws', 'ecs:ListClusters', false)).toEqual({
      latencyMs: 25,
      fault: { kind: 'status', code: 503, afterForward: false },
    });
    expect(rules.decide('aws', 'ecs:ListClusters', false)).toEqual({
      latencyMs: 5,
      fault: { kind: 'reset', afterForward: false },
    });
    expect(rules.decide('aws', 'ecs:ListClusters', false)).toEqual({ latencyMs: 5 });
    expect(rules.decide('github', 'GET /user', false)).toEqual({ latencyMs: 0 });
  });

  it('leaves the fault budget of a later rule untouched while an earlier rule decides', () => {
    const rules = new FaultRules();
    rules.add({ throttle: 1 });
    rules.add({ status5xx: 1 });
    expect(rules.decide('registry', 'GET /v2/', false).fault).toEqual({ kind: 'throttle', retryAfterSeconds: 1 });
    expect(rules.decide('registry', 'GET /v2/', false).fault).toEqual({
      kind: 'status',
      code: 500,
      afterForward: false,
    });
    expect(rules.decide('registry', 'GET /v2/', false).fault).toBeUndefined();
  });

  it('fails only the k-th mutating call after the rule is set, once', () => {
    const rules = new FaultRules();
    rules.add({ failNthMutating: 3 });
    const outcomes = [true, false, true, true, true].map((mutating) => rules.decide('cf', 'op', mutating).fault);
    expect(outcomes).toEqual([
      undefined,
      undefined,
      undefined,
      { kind: 'status', code: 500, afterForward: false },
      undefined,
    ]);
  });
});
