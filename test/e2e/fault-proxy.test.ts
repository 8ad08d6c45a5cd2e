import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ECSClient, ListClustersCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import {
  CreateRuleCommand,
  DescribeLoadBalancersCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { Octokit } from '@octokit/core';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import Cloudflare from 'cloudflare';
import { startCloudflareStandIn, type CloudflareStandIn } from '../standins/cloudflare/server.js';
import { createFaultProxyClient, type FaultProxyClient } from '../sandbox/fault-proxy/client.js';
import { startFaultProxy, type FaultProxy } from '../sandbox/fault-proxy/server.js';

const CF_TOKEN = 'proxy-test-token';
const AWS_CREDENTIALS = { accessKeyId: 'AKIDFAULTPROXY', secretAccessKey: 'fault-proxy-secret' };

interface SeenRequest {
  method: string;
  url: string;
  host: string | undefined;
  body: Buffer;
}

/** A loopback upstream that records what reached it and answers from `answer`. */
async function startUpstream(
  answer: (req: IncomingMessage, body: Buffer, res: ServerResponse) => void,
): Promise<{ url: string; seen: SeenRequest[]; server: Server }> {
  const seen: SeenRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      seen.push({ method: req.method ?? '', url: req.url ?? '', host: req.headers.host, body });
      answer(req, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

function reply(res: ServerResponse, status: number, body: string, type = 'application/json'): void {
  res.writeHead(status, { 'content-type': type, 'content-length': String(Buffer.byteLength(body)) });
  res.end(body);
}

function answerAws(req: IncomingMessage, body: Buffer, res: ServerResponse): void {
  const target = req.headers['x-amz-target'];
  if (target === 'AmazonEC2ContainerServiceV20141113.ListClusters') {
    return reply(
      res,
      200,
      JSON.stringify({ clusterArns: ['arn:aws:ecs:us-east-1:123456789012:cluster/pr-environments'] }),
    );
  }
  if (target === 'AmazonEC2ContainerServiceV20141113.UpdateService') {
    const input = JSON.parse(body.toString()) as { service: string };
    return reply(res, 200, JSON.stringify({ service: { serviceName: input.service, status: 'ACTIVE' } }));
  }
  const action = new URLSearchParams(body.toString()).get('Action');
  const ns = 'xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"';
  if (action === 'DescribeLoadBalancers') {
    return reply(
      res,
      200,
      `<DescribeLoadBalancersResponse ${ns}><DescribeLoadBalancersResult><LoadBalancers><member>` +
        '<LoadBalancerName>previews</LoadBalancerName></member></LoadBalancers></DescribeLoadBalancersResult>' +
        '<ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata></DescribeLoadBalancersResponse>',
      'text/xml',
    );
  }
  if (action === 'CreateRule') {
    return reply(
      res,
      200,
      `<CreateRuleResponse ${ns}><CreateRuleResult><Rules><member><RuleArn>arn:rule/1</RuleArn>` +
        '<Priority>10</Priority></member></Rules></CreateRuleResult>' +
        '<ResponseMetadata><RequestId>r2</RequestId></ResponseMetadata></CreateRuleResponse>',
      'text/xml',
    );
  }
  reply(res, 400, JSON.stringify({ __type: 'UnknownOperationException' }));
}

let nextCommentId = 1;
function answerGitHub(req: IncomingMessage, body: Buffer, res: ServerResponse): void {
  const pull = /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)$/.exec(req.url ?? '');
  if (req.method === 'GET' && pull) return reply(res, 200, JSON.stringify({ number: Number(pull[3]), state: 'open' }));
  if (req.method === 'POST' && /^\/repos\/[^/]+\/[^/]+\/issues\/\d+\/comments$/.test(req.url ?? '')) {
    const { body: text } = JSON.parse(body.toString()) as { body: string };
    return reply(res, 201, JSON.stringify({ id: nextCommentId++, body: text }));
  }
  if (req.method === 'POST' && req.url === '/graphql') return reply(res, 200, JSON.stringify({ data: { ok: true } }));
  reply(res, 404, JSON.stringify({ message: 'Not Found' }));
}

const BLOB = Buffer.alloc(3 * 1024 * 1024, 'preview-actions layer bytes ');
function answerRegistry(req: IncomingMessage, body: Buffer, res: ServerResponse): void {
  const url = req.url ?? '';
  if (url === '/v2/') return reply(res, 200, '{}');
  if (/^\/v2\/.+\/manifests\/[^/]+$/.test(url)) {
    res.writeHead(200, {
      'docker-content-digest': 'sha256:abc',
      'content-type': 'application/vnd.oci.image.manifest.v1+json',
      'content-length': '2',
    });
    return void res.end(req.method === 'HEAD' ? undefined : '{}');
  }
  if (req.method === 'PUT' && /^\/v2\/.+\/blobs\/uploads\/[^/?]+/.test(url)) {
    const digest = `sha256:${createHash('sha256').update(body).digest('hex')}`;
    res.writeHead(201, { 'docker-content-digest': digest, 'content-length': '0' });
    return void res.end();
  }
  if (req.method === 'GET' && /^\/v2\/.+\/blobs\/[^/]+$/.test(url)) {
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    return void res.end(BLOB);
  }
  reply(
    res,
    404,
    JSON.stringify({ errors: [{ code: 'NAME_UNKNOWN', message: 'repository name not known to registry' }] }),
  );
}

/** A Bottleneck group stand-in that runs jobs at once. */
const unpaced = { key: () => ({ schedule: <T>(_options: unknown, job: () => Promise<T>) => job() }) };

function createOctokit(baseUrl: string, secondaryRetries: number): Octokit {
  const RetryingOctokit = Octokit.plugin(retry, throttling);
  return new RetryingOctokit({
    auth: 'ghs_faultproxytoken',
    baseUrl,
    retry: { retryAfterBaseValue: 10 },
    throttle: {
      // the plugin spaces writes 1-3 s apart as GitHub etiquette; that pacing is not under test here
      write: unpaced,
      notifications: unpaced,
      retryAfterBaseValue: 10,
      onRateLimit: () => false,
      onSecondaryRateLimit: (_retryAfter: number, _options: unknown, _octokit: unknown, retryCount: number) =>
        retryCount < secondaryRetries,
    },
  } as unknown as ConstructorParameters<typeof Octokit>[0]);
}

describe('fault proxy against real clients', () => {
  let proxy: FaultProxy;
  let admin: FaultProxyClient;
  let cloudflare: CloudflareStandIn;
  let aws: Awaited<ReturnType<typeof startUpstream>>;
  let github: Awaited<ReturnType<typeof startUpstream>>;
  let registry: Awaited<ReturnType<typeof startUpstream>>;

  beforeAll(async () => {
    cloudflare = await startCloudflareStandIn({ token: CF_TOKEN });
    aws = await startUpstream(answerAws);
    github = await startUpstream(answerGitHub);
    registry = await startUpstream(answerRegistry);
    proxy = await startFaultProxy({
      targets: {
        aws: { url: aws.url, kind: 'aws' },
        github: { url: github.url, kind: 'github' },
        cloudflare: { url: cloudflare.url, kind: 'cloudflare' },
        registry: { url: registry.url, kind: 'registry' },
      },
    });
    admin = createFaultProxyClient(proxy.adminUrl);
  });

  afterAll(async () => {
    await proxy.close();
    await cloudflare.close();
    for (const upstream of [aws, github, registry]) {
      await new Promise<void>((resolve) => {
        upstream.server.close(() => resolve());
        upstream.server.closeAllConnections();
      });
    }
  });

  beforeEach(async () => {
    await admin.reset();
    await fetch(`${cloudflare.adminUrl}/reset`, { method: 'POST' });
    aws.seen.length = 0;
    github.seen.length = 0;
    registry.seen.length = 0;
  });

  const ecs = (maxAttempts = 3): ECSClient =>
    new ECSClient({ endpoint: proxy.urls.aws, region: 'us-east-1', credentials: AWS_CREDENTIALS, maxAttempts });
  const elbv2 = (maxAttempts = 3): ElasticLoadBalancingV2Client =>
    new ElasticLoadBalancingV2Client({
      endpoint: proxy.urls.aws,
      region: 'us-east-1',
      credentials: AWS_CREDENTIALS,
      maxAttempts,
    });
  const cf = (maxRetries = 2): Cloudflare =>
    new Cloudflare({ apiToken: CF_TOKEN, baseURL: proxy.urls.cloudflare!, maxRetries, timeout: 5000 });

  describe('aws', () => {
    it('forwards with the Host header the SDK signed and names JSON and query operations', async () => {
      await ecs().send(new ListClustersCommand({}));
      await ecs().send(new UpdateServiceCommand({ cluster: 'pr-environments', service: 'pr-1-api', desiredCount: 1 }));
      const described = await elbv2().send(new DescribeLoadBalancersCommand({}));
      expect(described.LoadBalancers?.[0]?.LoadBalancerName).toBe('previews');
      await elbv2().send(
        new CreateRuleCommand({ ListenerArn: 'arn:listener', Priority: 10, Conditions: [], Actions: [] }),
      );

      expect(aws.seen.map((r) => r.host)).toEqual(Array(4).fill(new URL(proxy.urls.aws!).host));
      expect((await admin.counters()).aws).toEqual({
        'ecs:ListClusters': { calls: 1, mutating: 0, faulted: 0 },
        'ecs:UpdateService': { calls: 1, mutating: 1, faulted: 0 },
        'elasticloadbalancing:DescribeLoadBalancers': { calls: 1, mutating: 0, faulted: 0 },
        'elasticloadbalancing:CreateRule': { calls: 1, mutating: 1, faulted: 0 },
      });
    });

    it('throttles ECS with ThrottlingException, which the SDK retries to success', async () => {
      await admin.addRules({ target: 'aws', operation: 'ecs:*', throttle: 2 });
      const result = await ecs().send(new ListClustersCommand({}));
      expect(result.clusterArns).toHaveLength(1);
      expect(result.$metadata.attempts).toBe(3);
      expect((await admin.counters()).aws?.['ecs:ListClusters']).toEqual({ calls: 3, mutating: 0, faulted: 2 });
    });

    it('fails with ThrottlingException once throttling outlasts the retry budget', async () => {
      await admin.addRules({ target: 'aws', operation: 'ecs:ListClusters', throttle: 5 });
      const error = (await ecs(3)
        .send(new ListClustersCommand({}))
        .catch((e: unknown) => e)) as Error & {
        $metadata: { httpStatusCode: number; attempts: number };
      };
      expect(error.name).toBe('ThrottlingException');
      expect(error.message).toBe('Rate exceeded');
      expect(error.$metadata.httpStatusCode).toBe(400);
      expect(error.$metadata.attempts).toBe(3);
      expect(aws.seen).toHaveLength(0);
    });

    it('throttles ELBv2 with the query-protocol Throttling error, retried and then surfaced', async () => {
      await admin.addRules({ operation: 'elasticloadbalancing:DescribeLoadBalancers', throttle: 1 });
      const ok = await elbv2().send(new DescribeLoadBalancersCommand({}));
      expect(ok.$metadata.attempts).toBe(2);

      await admin.addRules({ operation: 'elasticloadbalancing:CreateRule', throttle: 3 });
      const error = (await elbv2(2)
        .send(new CreateRuleCommand({ ListenerArn: 'arn:listener', Priority: 10, Conditions: [], Actions: [] }))
        .catch((e: unknown) => e)) as Error & { $metadata: { attempts: number } };
      expect(error.name).toBe('Throttling');
      expect(error.message).toBe('Rate exceeded');
      expect(error.$metadata.attempts).toBe(2);
    });

    it('answers 5xx, which the SDK retries', async () => {
      await admin.addRules({ operation: 'ecs:UpdateService', status5xx: { times: 1, code: 503 } });
      const result = await ecs().send(new UpdateServiceCommand({ cluster: 'c', service: 's', desiredCount: 0 }));
      expect(result.service?.serviceName).toBe('s');
      expect(result.$metadata.attempts).toBe(2);
      expect((await admin.counters()).aws?.['ecs:UpdateService']).toEqual({ calls: 2, mutating: 2, faulted: 1 });
    });

    it('resets connections, which the SDK retries or reports as a network error', async () => {
      await admin.addRules({ operation: 'ecs:ListClusters', reset: 1 });
      expect((await ecs().send(new ListClustersCommand({}))).$metadata.attempts).toBe(2);

      await admin.addRules({ operation: 'ecs:ListClusters', reset: 3 });
      const error = (await ecs(2)
        .send(new ListClustersCommand({}))
        .catch((e: unknown) => e)) as Error & {
        code?: string;
      };
      expect(error).toBeInstanceOf(Error);
      expect(`${error.code ?? ''} ${error.message}`).toMatch(/ECONNRESET|socket hang up/);
      expect((await admin.counters()).aws?.['ecs:ListClusters']).toEqual({ calls: 4, mutating: 0, faulted: 3 });
    });

    it('fails only the k-th mutating call with a 500', async () => {
      await admin.addRules({ target: 'aws', failNthMutating: 2 });
      const client = ecs(1);
      await client.send(new UpdateServiceCommand({ cluster: 'c', service: 'first', desiredCount: 1 }));
      await client.send(new ListClustersCommand({}));
      const error = (await client
        .send(new UpdateServiceCommand({ cluster: 'c', service: 'second', desiredCount: 1 }))
        .catch((e: unknown) => e)) as Error & { $metadata: { httpStatusCode: number } };
      expect(error.name).toBe('InternalFailure');
      expect(error.$metadata.httpStatusCode).toBe(500);
      await client.send(new UpdateServiceCommand({ cluster: 'c', service: 'third', desiredCount: 1 }));
      expect((await admin.counters()).aws).toEqual({
        'ecs:UpdateService': { calls: 3, mutating: 3, faulted: 1 },
        'ecs:ListClusters': { calls: 1, mutating: 0, faulted: 0 },
      });
    });

    it('surfaces 5xx as the service error once it outlasts the retry budget', async () => {
      await admin.addRules({ operation: 'ecs:ListClusters', status5xx: { times: 2, code: 503 } });
      const error = (await ecs(2)
        .send(new ListClustersCommand({}))
        .catch((e: unknown) => e)) as Error & { $metadata: { httpStatusCode: number; attempts: number } };
      expect(error.name).toBe('ServiceUnavailableException');
      expect(error.$metadata).toMatchObject({ httpStatusCode: 503, attempts: 2 });
    });

    it('with afterForward, lets the backend act and then answers 500 or resets', async () => {
      await admin.addRules({ operation: 'ecs:UpdateService', status5xx: 1, afterForward: true });
      const error = (await ecs(1)
        .send(new UpdateServiceCommand({ cluster: 'c', service: 'ambiguous', desiredCount: 1 }))
        .catch((e: unknown) => e)) as Error & { $metadata: { httpStatusCode: number } };
      expect(error.name).toBe('InternalFailure');
      expect(error.$metadata.httpStatusCode).toBe(500);

      await admin.addRules({ operation: 'ecs:UpdateService', reset: 1, afterForward: true });
      const reset = (await ecs(1)
        .send(new UpdateServiceCommand({ cluster: 'c', service: 'ambiguous', desiredCount: 2 }))
        .catch((e: unknown) => e)) as Error;
      expect(reset.message).toMatch(/socket hang up|ECONNRESET/);
      expect(aws.seen.map((r) => JSON.parse(r.body.toString()).desiredCount)).toEqual([1, 2]);
    });

    it('adds latency for a bounded number of calls', async () => {
      await admin.addRules({ operation: 'ecs:ListClusters', latencyMs: 300, times: 1 });
      const started = Date.now();
      await ecs().send(new ListClustersCommand({}));
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
      const [rule] = await admin.rules();
      expect(rule).toMatchObject({ timesLeft: 0, matched: 1 });
      await ecs().send(new ListClustersCommand({}));
      // a spent budget means the rule no longer matches, so the second call was not delayed
      expect((await admin.rules())[0]).toMatchObject({ timesLeft: 0, matched: 1 });
    });
  });

  describe('github', () => {
    it('names REST calls by their OpenAPI route and GraphQL as POST /graphql', async () => {
      const octokit = createOctokit(proxy.urls.github!, 1);
      await octokit.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', {
        owner: 'acme',
        repo: 'shop',
        pull_number: 42,
      });
      await octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
        owner: 'acme',
        repo: 'shop',
        issue_number: 42,
        body: 'hello',
      });
      await octokit.graphql('query { viewer { login } }');
      await octokit.graphql('mutation { addComment(input: {}) { clientMutationId } }');
      expect((await admin.counters()).github).toEqual({
        'GET /repos/{owner}/{repo}/pulls/{pull_number}': { calls: 1, mutating: 0, faulted: 0 },
        'POST /repos/{owner}/{repo}/issues/{issue_number}/comments': { calls: 1, mutating: 1, faulted: 0 },
        'POST /graphql': { calls: 2, mutating: 1, faulted: 0 },
      });
    });

    it('answers secondary rate limits that plugin-throttling waits out and retries', async () => {
      await admin.addRules({ target: 'github', operation: 'GET /repos/*', throttle: 1 });
      const octokit = createOctokit(proxy.urls.github!, 1);
      const { data } = await octokit.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', {
        owner: 'acme',
        repo: 'shop',
        pull_number: 7,
      });
      expect(data).toEqual({ number: 7, state: 'open' });
      expect((await admin.counters()).github?.['GET /repos/{owner}/{repo}/pulls/{pull_number}']).toEqual({
        calls: 2,
        mutating: 0,
        faulted: 1,
      });
    });

    it('surfaces a 403 secondary rate limit with retry-after when the handler stops retrying', async () => {
      await admin.addRules({ target: 'github', throttle: 3, retryAfterSeconds: 2 });
      const octokit = createOctokit(proxy.urls.github!, 1);
      const error = (await octokit
        .request('GET /repos/{owner}/{repo}/pulls/{pull_number}', { owner: 'acme', repo: 'shop', pull_number: 7 })
        .catch((e: unknown) => e)) as {
        status: number;
        message: string;
        response: { headers: Record<string, string> };
      };
      expect(error.status).toBe(403);
      expect(error.message).toMatch(/secondary rate limit/);
      expect(error.response.headers['retry-after']).toBe('2');
      expect(github.seen).toHaveLength(0);
    });

    it('answers 5xx and resets that plugin-retry retries', async () => {
      await admin.addRules({ target: 'github', status5xx: { times: 2, code: 502 } });
      const octokit = createOctokit(proxy.urls.github!, 1);
      const pull = await octokit.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', {
        owner: 'acme',
        repo: 'shop',
        pull_number: 1,
      });
      expect(pull.status).toBe(200);

      await admin.reset();
      await admin.addRules({ target: 'github', reset: 1 });
      const again = await octokit.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', {
        owner: 'acme',
        repo: 'shop',
        pull_number: 1,
      });
      expect(again.status).toBe(200);
      expect((await admin.counters()).github?.['GET /repos/{owner}/{repo}/pulls/{pull_number}']).toEqual({
        calls: 2,
        mutating: 0,
        faulted: 1,
      });
    });

    it('fails only the k-th mutation (GraphQL queries do not count) with a 500 that plugin-retry retries', async () => {
      await admin.addRules({ target: 'github', failNthMutating: 2 });
      const octokit = createOctokit(proxy.urls.github!, 1);
      const { data } = await octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
        owner: 'acme',
        repo: 'shop',
        issue_number: 3,
        body: 'deployed',
      });
      expect(data.body).toBe('deployed');
      await octokit.graphql('query { viewer { login } }');
      expect(await octokit.graphql('mutation { addComment(input: {}) { clientMutationId } }')).toEqual({ ok: true });
      const counters = (await admin.counters()).github;
      expect(counters?.['POST /repos/{owner}/{repo}/issues/{issue_number}/comments']).toEqual({
        calls: 1,
        mutating: 1,
        faulted: 0,
      });
      expect(counters?.['POST /graphql']).toEqual({ calls: 3, mutating: 2, faulted: 1 });
      expect(github.seen.filter((r) => r.url === '/graphql')).toHaveLength(2);
    });

    it('surfaces a 5xx RequestError and a network error once retries run out', async () => {
      await admin.addRules({ target: 'github', status5xx: { times: 4, code: 502 } });
      const octokit = createOctokit(proxy.urls.github!, 1);
      const pull = { owner: 'acme', repo: 'shop', pull_number: 1 };
      const serverError = (await octokit
        .request('GET /repos/{owner}/{repo}/pulls/{pull_number}', pull)
        .catch((e: unknown) => e)) as { status: number; name: string };
      expect(serverError).toMatchObject({ name: 'HttpError', status: 502 });

      await admin.reset();
      await admin.addRules({ target: 'github', reset: 4 });
      const networkError = (await octokit
        .request('GET /repos/{owner}/{repo}/pulls/{pull_number}', pull)
        .catch((e: unknown) => e)) as { status: number; cause?: unknown };
      // no HTTP answer at all: Octokit reports status 500 with fetch's network error as the cause
      expect(networkError).toMatchObject({ status: 500, response: undefined });
      expect(String(networkError.cause)).toMatch(/fetch failed/);
      expect((await admin.counters()).github?.['GET /repos/{owner}/{repo}/pulls/{pull_number}']).toEqual({
        calls: 4,
        mutating: 0,
        faulted: 4,
      });
      expect(github.seen).toHaveLength(0);
    });
  });

  describe('cloudflare', () => {
    it('names calls by route with the zone and record ids templated', async () => {
      const client = cf();
      const record = await client.dns.records.create({
        zone_id: cloudflare.zoneId,
        ttl: 1,
        type: 'CNAME',
        name: 'pr-5',
        content: 'lb.example.net',
      });
      for await (const _ of client.dns.records.list({ zone_id: cloudflare.zoneId, name: { exact: record.name } })) {
        // drain every page
      }
      await client.dns.records.delete(record.id, { zone_id: cloudflare.zoneId });
      expect((await admin.counters()).cloudflare).toEqual({
        'POST /zones/{zone_id}/dns_records': { calls: 1, mutating: 1, faulted: 0 },
        'GET /zones/{zone_id}/dns_records': { calls: 2, mutating: 0, faulted: 0 },
        'DELETE /zones/{zone_id}/dns_records/{dns_record_id}': { calls: 1, mutating: 1, faulted: 0 },
      });
    });

    it('throttles with 429 + retry-after in the Cloudflare envelope; the SDK retries within its budget', async () => {
      await admin.addRules({ target: 'cloudflare', throttle: 2, retryAfterSeconds: 0.05 });
      const record = await cf(2).dns.records.create({
        zone_id: cloudflare.zoneId,
        ttl: 1,
        type: 'A',
        name: 'pr-9',
        content: '192.0.2.9',
      });
      expect(record.name).toBe('pr-9.example.com');

      await admin.addRules({ target: 'cloudflare', throttle: 3, retryAfterSeconds: 0.05 });
      const error = (await cf(2)
        .dns.records.get(record.id, { zone_id: cloudflare.zoneId })
        .catch((e: unknown) => e)) as InstanceType<typeof Cloudflare.APIError>;
      expect(error).toBeInstanceOf(Cloudflare.RateLimitError);
      expect(error.errors).toEqual([{ code: 971, message: 'Please wait and consider throttling your request speed' }]);
    });

    it('retries an injected 500 on create without creating the record twice, and survives a reset', async () => {
      await admin.addRules({ target: 'cloudflare', operation: 'POST /zones/*', failNthMutating: 1 });
      await admin.addRules({ target: 'cloudflare', operation: 'GET /zones/*', reset: 1 });
      await cf(2).dns.records.create({
        zone_id: cloudflare.zoneId,
        ttl: 1,
        type: 'A',
        name: 'once',
        content: '192.0.2.1',
      });
      const listed = [];
      for await (const record of cf(2).dns.records.list({ zone_id: cloudflare.zoneId })) listed.push(record.name);
      expect(listed).toEqual(['once.example.com']);
      const counters = (await admin.counters()).cloudflare;
      expect(counters?.['POST /zones/{zone_id}/dns_records']).toEqual({ calls: 2, mutating: 2, faulted: 1 });
      expect(counters?.['GET /zones/{zone_id}/dns_records']?.faulted).toBe(1);
    });

    it('with afterForward, a retried create meets its own first attempt: 81057', async () => {
      await admin.addRules({
        target: 'cloudflare',
        operation: 'POST /zones/*',
        failNthMutating: 1,
        afterForward: true,
      });
      const error = await cf(2)
        .dns.records.create({ zone_id: cloudflare.zoneId, ttl: 1, type: 'A', name: 'twice', content: '192.0.2.2' })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Cloudflare.BadRequestError);
      expect((error as InstanceType<typeof Cloudflare.APIError>).errors).toEqual([
        { code: 81057, message: 'Record already exists.' },
      ]);
      const stored = (await (await fetch(`${cloudflare.adminUrl}/records`)).json()) as { name: string }[];
      expect(stored.map((record) => record.name)).toEqual(['twice.example.com']);
    });

    it('surfaces InternalServerError and APIConnectionError once retries run out', async () => {
      await admin.addRules({ target: 'cloudflare', status5xx: { times: 3, code: 500 } });
      const serverError = await cf(2)
        .dns.records.get('0'.repeat(32), { zone_id: cloudflare.zoneId })
        .catch((e: unknown) => e);
      expect(serverError).toBeInstanceOf(Cloudflare.InternalServerError);

      await admin.reset();
      await admin.addRules({ target: 'cloudflare', reset: 3 });
      const networkError = await cf(2)
        .dns.records.get('0'.repeat(32), { zone_id: cloudflare.zoneId })
        .catch((e: unknown) => e);
      expect(networkError).toBeInstanceOf(Cloudflare.APIConnectionError);
      expect((await admin.counters()).cloudflare?.['GET /zones/{zone_id}/dns_records/{dns_record_id}']).toEqual({
        calls: 3,
        mutating: 0,
        faulted: 3,
      });
    });
  });

  describe('registry', () => {
    it('names OCI routes with nested repository names and throttles with TOOMANYREQUESTS', async () => {
      const manifest = `${proxy.urls.registry}/v2/acme/shop/api/manifests/pr-12`;
      expect((await fetch(manifest, { method: 'HEAD' })).headers.get('docker-content-digest')).toBe('sha256:abc');

      await admin.addRules({ target: 'registry', operation: '* /v2/{name}/manifests/{reference}', throttle: 2 });
      const head = await fetch(manifest, { method: 'HEAD' });
      expect(head.status).toBe(429);
      expect(head.headers.get('retry-after')).toBe('1');
      const get = await fetch(manifest);
      expect(get.status).toBe(429);
      expect(await get.json()).toEqual({
        errors: [{ code: 'TOOMANYREQUESTS', message: 'too many requests', detail: {} }],
      });
      expect((await admin.counters()).registry).toEqual({
        'HEAD /v2/{name}/manifests/{reference}': { calls: 2, mutating: 0, faulted: 1 },
        'GET /v2/{name}/manifests/{reference}': { calls: 1, mutating: 0, faulted: 1 },
      });
    });

    it('streams large bodies both ways unchanged', async () => {
      const upload = Buffer.alloc(5 * 1024 * 1024 + 3, 'uploaded layer ');
      const chunked = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let offset = 0; offset < upload.length; offset += 256 * 1024) {
            controller.enqueue(upload.subarray(offset, offset + 256 * 1024));
          }
          controller.close();
        },
      });
      const put = await fetch(`${proxy.urls.registry}/v2/acme/api/blobs/uploads/u-1?digest=sha256:x`, {
        method: 'PUT',
        body: chunked,
        duplex: 'half',
      } as RequestInit);
      expect(put.status).toBe(201);
      expect(put.headers.get('docker-content-digest')).toBe(
        `sha256:${createHash('sha256').update(upload).digest('hex')}`,
      );

      const blob = Buffer.from(
        await (await fetch(`${proxy.urls.registry}/v2/acme/api/blobs/sha256:abc`)).arrayBuffer(),
      );
      expect(blob.equals(BLOB)).toBe(true);
      expect((await admin.counters()).registry).toEqual({
        'PUT /v2/{name}/blobs/uploads/{uuid}': { calls: 1, mutating: 1, faulted: 0 },
        'GET /v2/{name}/blobs/{digest}': { calls: 1, mutating: 0, faulted: 0 },
      });
    });
  });

  describe('admin', () => {
    it('refuses malformed rules with a message naming the field', async () => {
      await expect(admin.addRules({ target: 'aws', throtle: 1 } as never)).rejects.toThrow(
        /Unknown fault rule field\(s\) throtle/,
      );
      await expect(admin.addRules({ target: 'aws' })).rejects.toThrow(/needs at least one of/);
      await expect(admin.addRules({ status5xx: { times: 1, code: 404 } })).rejects.toThrow(/500 to 599/);
    });

    it('lists, removes and resets rules and counters', async () => {
      const [rule] = await admin.addRules({ target: 'registry', throttle: 1 });
      expect(await admin.rules()).toEqual([expect.objectContaining({ id: rule!.id, throttleLeft: 1 })]);
      await admin.removeRule(rule!.id);
      expect(await admin.rules()).toEqual([]);
      await fetch(`${proxy.urls.registry}/v2/`);
      expect((await admin.counters()).registry).toEqual({ 'GET /v2/': { calls: 1, mutating: 0, faulted: 0 } });
      await admin.reset();
      expect(await admin.counters()).toEqual({});
    });

    it('refuses non-loopback targets', async () => {
      await expect(
        startFaultProxy({ targets: { far: { url: 'http://192.0.2.1:80', kind: 'github' } } }),
      ).rejects.toThrow(/must be a loopback URL/);
    });
  });
});
