import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createHash, randomBytes } from 'node:crypto';
import { ensureSandbox } from '../sandbox/ensure.js';
import type { SandboxEndpoints } from '../sandbox/endpoints.js';
import { createFaultProxyClient, type FaultProxyClient } from '../sandbox/fault-proxy/client.js';
import { startFaultProxy, type FaultProxy } from '../sandbox/fault-proxy/server.js';

// A private proxy in front of the sandbox's basic-auth registry (distribution 2.8), so rules stay local.
describe('fault proxy in front of a real OCI registry', () => {
  let sandbox: SandboxEndpoints;
  let proxy: FaultProxy;
  let admin: FaultProxyClient;
  let authorization: string;

  beforeAll(async () => {
    sandbox = await ensureSandbox();
    const registry = sandbox.registries.basic;
    proxy = await startFaultProxy({
      targets: { registry: { url: `http://${registry.directHost}`, kind: 'registry' } },
    });
    admin = createFaultProxyClient(proxy.adminUrl);
    authorization = `Basic ${Buffer.from(`${registry.username}:${registry.password}`).toString('base64')}`;
  });

  afterAll(async () => {
    await proxy?.close();
  });

  beforeEach(async () => {
    await admin.reset();
  });

  const call = (url: string, init: RequestInit = {}) =>
    fetch(url.startsWith('http') ? url : `${proxy.urls.registry}${url}`, {
      ...init,
      headers: { authorization, ...(init.headers as Record<string, string>) },
      redirect: 'manual',
      signal: AbortSignal.timeout(10_000),
    });

  it('keeps the Host header, so upload locations point back through the proxy', async () => {
    const repository = `fault-proxy/blob-${randomBytes(3).toString('hex')}`;
    const blob = randomBytes(64 * 1024);
    const digest = `sha256:${createHash('sha256').update(blob).digest('hex')}`;

    const started = await call(`/v2/${repository}/blobs/uploads/`, { method: 'POST' });
    expect(started.status).toBe(202);
    const location = new URL(started.headers.get('location')!, proxy.urls.registry);
    expect(location.host).toBe(new URL(proxy.urls.registry!).host);

    location.searchParams.set('digest', digest);
    const finished = await call(location.toString(), {
      method: 'PUT',
      body: blob,
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(finished.status).toBe(201);

    const head = await call(`/v2/${repository}/blobs/${digest}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('docker-content-digest')).toBe(digest);

    expect((await admin.counters()).registry).toEqual({
      'POST /v2/{name}/blobs/uploads/': { calls: 1, mutating: 1, faulted: 0 },
      'PUT /v2/{name}/blobs/uploads/{uuid}': { calls: 1, mutating: 1, faulted: 0 },
      'HEAD /v2/{name}/blobs/{digest}': { calls: 1, mutating: 0, faulted: 0 },
    });
  });

  it('answers throttled and 5xx calls in the distribution error format without reaching the registry', async () => {
    await admin.addRules(
      { operation: 'GET /v2/', throttle: 1, retryAfterSeconds: 3 },
      { operation: 'GET /v2/', status5xx: { times: 1, code: 503 } },
    );
    const throttled = await call('/v2/');
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('3');
    expect(await throttled.json()).toEqual({
      errors: [{ code: 'TOOMANYREQUESTS', message: 'too many requests', detail: {} }],
    });
    const unavailable = await call('/v2/');
    expect(unavailable.status).toBe(503);
    expect(((await unavailable.json()) as { errors: { code: string }[] }).errors[0]?.code).toBe('UNKNOWN');
    const ok = await call('/v2/');
    expect(ok.status).toBe(200);
    expect(ok.headers.get('docker-distribution-api-version')).toBe('registry/2.0');
    expect((await admin.counters()).registry?.['GET /v2/']).toEqual({ calls: 3, mutating: 0, faulted: 2 });
  });
});
