import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import Cloudflare from 'cloudflare';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { repoRoot } from '../harness/paths.js';
import { startCloudflareStandIn, type CloudflareStandIn } from '../standins/cloudflare/server.js';

const TOKEN = 'cf-e2e-token';

async function callAdmin(standIn: CloudflareStandIn, method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${standIn.adminUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(5000),
  });
  if (!response.ok) throw new Error(`admin ${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

describe('Cloudflare stand-in through the cloudflare SDK', () => {
  let standIn: CloudflareStandIn;
  let client: Cloudflare;

  beforeAll(async () => {
    standIn = await startCloudflareStandIn({ token: TOKEN, zoneName: 'preview.example.com' });
    client = new Cloudflare({ apiToken: TOKEN, baseURL: standIn.url, maxRetries: 2, timeout: 5000 });
  });

  afterAll(async () => {
    await standIn.close();
  });

  beforeEach(async () => {
    await callAdmin(standIn, 'POST', '/reset');
  });

  it('finds the zone by name', async () => {
    const zones = await collect(client.zones.list({ name: 'preview.example.com' }));
    expect(zones.map((zone) => [zone.id, zone.name, zone.status])).toEqual([
      [standIn.zoneId, 'preview.example.com', 'active'],
    ]);
    expect(await collect(client.zones.list({ name: 'other.example.com' }))).toEqual([]);
  });

  it('creates, reads, edits, overwrites and deletes a record with the fields the real API returns', async () => {
    const created = await client.dns.records.create({
      zone_id: standIn.zoneId,
      type: 'CNAME',
      name: 'pr-7',
      content: 'alb-123.us-east-1.elb.amazonaws.com',
      ttl: 1,
      proxied: true,
      comment: 'preview-actions:managed=true',
      tags: ['preview-actions-pr:7'],
    });
    expect(created).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f]{32}$/),
      zone_id: standIn.zoneId,
      zone_name: 'preview.example.com',
      name: 'pr-7.preview.example.com',
      type: 'CNAME',
      content: 'alb-123.us-east-1.elb.amazonaws.com',
      proxiable: true,
      proxied: true,
      ttl: 1,
      comment: 'preview-actions:managed=true',
      tags: ['preview-actions-pr:7'],
      settings: { flatten_cname: false },
      meta: {},
    });
    expect(Date.parse(created.created_on)).not.toBeNaN();
    expect(created.modified_on).toBe(created.created_on);

    const fetched = await client.dns.records.get(created.id, { zone_id: standIn.zoneId });
    expect(fetched).toEqual(created);

    const edited = await client.dns.records.edit(created.id, {
      zone_id: standIn.zoneId,
      ttl: 1,
      type: 'CNAME',
      name: 'pr-7.preview.example.com',
      content: 'alb-456.us-east-1.elb.amazonaws.com',
    });
    expect(edited).toMatchObject({ id: created.id, content: 'alb-456.us-east-1.elb.amazonaws.com', proxied: true });
    expect(edited.comment).toBe('preview-actions:managed=true');

    const overwritten = await client.dns.records.update(created.id, {
      zone_id: standIn.zoneId,
      ttl: 1,
      type: 'CNAME',
      name: 'pr-7',
      content: 'alb-789.us-east-1.elb.amazonaws.com',
    });
    expect(overwritten).toMatchObject({ id: created.id, proxied: false, comment: null, tags: [] });
    expect(overwritten.created_on).toBe(created.created_on);

    expect(await client.dns.records.delete(created.id, { zone_id: standIn.zoneId })).toEqual({ id: created.id });
    const missing = await client.dns.records
      .get(created.id, { zone_id: standIn.zoneId })
      .catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(Cloudflare.NotFoundError);
    expect((missing as InstanceType<typeof Cloudflare.APIError>).errors).toEqual([
      { code: 81044, message: 'Record does not exist.' },
    ]);
  });

  it('refuses duplicates with the codes and words Cloudflare uses', async () => {
    await client.dns.records.create({
      zone_id: standIn.zoneId,
      ttl: 1,
      type: 'A',
      name: 'pr-1',
      content: '192.0.2.10',
    });
    const cname = await client.dns.records
      .create({ zone_id: standIn.zoneId, ttl: 1, type: 'CNAME', name: 'pr-1', content: 'target.example.net' })
      .catch((error: unknown) => error);
    expect(cname).toBeInstanceOf(Cloudflare.BadRequestError);
    expect((cname as InstanceType<typeof Cloudflare.APIError>).errors).toEqual([
      { code: 81053, message: 'An A, AAAA, or CNAME record with that host already exists.' },
    ]);

    const same = await client.dns.records
      .create({ zone_id: standIn.zoneId, ttl: 1, type: 'A', name: 'pr-1.preview.example.com', content: '192.0.2.10' })
      .catch((error: unknown) => error);
    expect(same).toBeInstanceOf(Cloudflare.BadRequestError);
    expect((same as InstanceType<typeof Cloudflare.APIError>).errors).toEqual([
      { code: 81057, message: 'Record already exists.' },
    ]);

    const secondAddress = await client.dns.records.create({
      zone_id: standIn.zoneId,
      ttl: 1,
      type: 'A',
      name: 'pr-1',
      content: '192.0.2.11',
    });
    expect(secondAddress.content).toBe('192.0.2.11');

    await client.dns.records.create({
      zone_id: standIn.zoneId,
      ttl: 1,
      type: 'CNAME',
      name: 'pr-2',
      content: 'a.example.net',
    });
    const overCname = await client.dns.records
      .create({ zone_id: standIn.zoneId, ttl: 1, type: 'A', name: 'pr-2', content: '192.0.2.12' })
      .catch((error: unknown) => error);
    expect((overCname as InstanceType<typeof Cloudflare.APIError>).errors).toEqual([
      { code: 81054, message: 'A CNAME record with that host already exists.' },
    ]);
  });

  it('filters by name.exact, type, content, comment and tags with match and tag_match', async () => {
    await callAdmin(standIn, 'POST', '/records', [
      {
        type: 'CNAME',
        name: 'pr-1',
        content: 'a.example.net',
        comment: 'preview-actions pr=1',
        tags: ['pr:1', 'svc:api'],
      },
      {
        type: 'CNAME',
        name: 'pr-1-admin',
        content: 'b.example.net',
        comment: 'preview-actions pr=1',
        tags: ['pr:1', 'svc:admin'],
      },
      { type: 'A', name: 'pr-3', content: '192.0.2.3', tags: ['pr:3'] },
      { type: 'TXT', name: 'pr-3', content: 'owner=preview-actions', tags: ['pr:3'] },
      { type: 'CNAME', name: 'pr-2', content: 'a.example.net', comment: 'hand made' },
    ]);
    const names = async (params: Omit<Cloudflare.DNS.RecordListParams, 'zone_id'>): Promise<string[]> =>
      (await collect(client.dns.records.list({ zone_id: standIn.zoneId, ...params }))).map(
        (r) => `${r.type} ${r.name}`,
      );

    expect(await names({ name: { exact: 'PR-3.preview.example.com' } })).toEqual([
      'A pr-3.preview.example.com',
      'TXT pr-3.preview.example.com',
    ]);
    expect(await names({ name: { exact: 'pr-3.preview.example.com' }, type: 'TXT' })).toEqual([
      'TXT pr-3.preview.example.com',
    ]);
    expect(await names({ content: { exact: 'a.example.net' } })).toEqual([
      'CNAME pr-1.preview.example.com',
      'CNAME pr-2.preview.example.com',
    ]);
    expect(await names({ comment: { contains: 'PREVIEW-ACTIONS' } })).toEqual([
      'CNAME pr-1.preview.example.com',
      'CNAME pr-1-admin.preview.example.com',
    ]);
    expect(await names({ comment: { exact: 'hand made' } })).toEqual(['CNAME pr-2.preview.example.com']);
    expect(await names({ tag: { exact: 'svc:admin' } })).toEqual(['CNAME pr-1-admin.preview.example.com']);
    expect(await names({ tag: { present: 'svc' }, type: 'CNAME', match: 'all' })).toEqual([
      'CNAME pr-1.preview.example.com',
      'CNAME pr-1-admin.preview.example.com',
    ]);
    expect(await names({ type: 'TXT', comment: { exact: 'hand made' }, match: 'any' })).toEqual([
      'TXT pr-3.preview.example.com',
      'CNAME pr-2.preview.example.com',
    ]);

    const raw = async (query: string): Promise<string[]> => {
      const response = await fetch(`${standIn.url}/zones/${standIn.zoneId}/dns_records?${query}`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      const body = (await response.json()) as { result: { name: string; type: string }[] };
      return body.result.map((r) => `${r.type} ${r.name}`);
    };
    expect(await raw('tag=svc:api&tag=svc:admin&tag_match=any')).toEqual([
      'CNAME pr-1.preview.example.com',
      'CNAME pr-1-admin.preview.example.com',
    ]);
    expect(await raw('tag=svc:api&tag=svc:admin&tag_match=all')).toEqual([]);
    expect(await raw('name=pr-2.preview.example.com')).toEqual(['CNAME pr-2.preview.example.com']);
  });

  it('pages with result_info and the SDK auto-paginates through every page', async () => {
    await callAdmin(
      standIn,
      'POST',
      '/records',
      Array.from({ length: 12 }, (_, i) => ({ type: 'A', name: `host-${i}`, content: `192.0.2.${i + 1}` })),
    );
    const first = await client.dns.records.list({ zone_id: standIn.zoneId, per_page: 5 });
    expect(first.result).toHaveLength(5);
    expect(first.result_info).toEqual({ page: 1, per_page: 5, count: 5, total_count: 12, total_pages: 3 });

    const all = await collect(client.dns.records.list({ zone_id: standIn.zoneId, per_page: 5 }));
    expect(all.map((r) => r.name)).toEqual(Array.from({ length: 12 }, (_, i) => `host-${i}.preview.example.com`));

    const counters = (await callAdmin(standIn, 'GET', '/counters')) as Record<string, number>;
    // first page alone, then pages 1-3 plus the empty page 4 that ends the SDK's iteration
    expect(counters['GET /zones/{zone_id}/dns_records']).toBe(5);
  });

  it('rejects a wrong token with 401 and code 10000', async () => {
    const stranger = new Cloudflare({ apiToken: 'wrong-token', baseURL: standIn.url, maxRetries: 0 });
    const error = await collect(stranger.dns.records.list({ zone_id: standIn.zoneId })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Cloudflare.AuthenticationError);
    expect((error as InstanceType<typeof Cloudflare.APIError>).errors).toEqual([
      { code: 10000, message: 'Authentication error' },
    ]);
  });

  it('answers scripted 429s with retry-after, which the SDK waits out and retries', async () => {
    await callAdmin(standIn, 'POST', '/rate-limit', { count: 2, retryAfter: 0.05 });
    const created = await client.dns.records.create({
      zone_id: standIn.zoneId,
      ttl: 1,
      type: 'A',
      name: 'limited',
      content: '192.0.2.50',
    });
    expect(created.name).toBe('limited.preview.example.com');
    const counters = (await callAdmin(standIn, 'GET', '/counters')) as Record<string, number>;
    expect(counters['POST /zones/{zone_id}/dns_records']).toBe(3);
  });

  it('fails with RateLimitError (code 971) when 429s outlast the retry budget', async () => {
    await callAdmin(standIn, 'POST', '/rate-limit', { count: 5, retryAfter: 0.02 });
    const error = await client.dns.records
      .create({ zone_id: standIn.zoneId, ttl: 1, type: 'A', name: 'limited', content: '192.0.2.50' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Cloudflare.RateLimitError);
    const apiError = error as InstanceType<typeof Cloudflare.APIError>;
    expect(apiError.status).toBe(429);
    expect(apiError.errors).toEqual([{ code: 971, message: 'Please wait and consider throttling your request speed' }]);
    const counters = (await callAdmin(standIn, 'GET', '/counters')) as Record<string, number>;
    expect(counters['POST /zones/{zone_id}/dns_records']).toBe(3);
    expect(await callAdmin(standIn, 'GET', '/records')).toEqual([]);
  });

  it('seeds records through the admin API that the SDK then sees', async () => {
    const [seeded] = (await callAdmin(standIn, 'POST', '/records', {
      type: 'CNAME',
      name: 'seeded',
      content: 'x.example.net',
    })) as { id: string }[];
    const listed = await collect(client.dns.records.list({ zone_id: standIn.zoneId }));
    expect(listed.map((r) => r.id)).toEqual([seeded!.id]);
  });
});

describe('Cloudflare stand-in run on its own (main.ts)', () => {
  it('prints one JSON line with url, zoneId and adminUrl, serves the SDK, and stops on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/standins/cloudflare/main.ts', '--zone', 'solo.test'],
      {
        cwd: repoRoot,
        env: { ...process.env, CLOUDFLARE_STANDIN_TOKEN: TOKEN },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      const lines = createInterface({ input: child.stdout! });
      const first = await Promise.race([
        new Promise<string>((resolve) => lines.once('line', resolve)),
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error('main.ts printed nothing in 20 s')), 20_000),
        ),
      ]);
      const ready = JSON.parse(first) as { url: string; zoneId: string; adminUrl: string };
      expect(ready.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/client\/v4$/);
      expect(ready.adminUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/__admin$/);
      const client = new Cloudflare({ apiToken: TOKEN, baseURL: ready.url, maxRetries: 0, timeout: 5000 });
      const zone = await client.zones.get({ zone_id: ready.zoneId });
      expect(zone.name).toBe('solo.test');
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    expect(child.exitCode).toBe(0);
  });
});
