import { afterEach, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ManualClock } from '../action/clock.js';
import { ConfigurationError } from '../action/errors.js';
import { OciClient } from './oci-client.js';
import { RegistryError } from './registry-error.js';

/**
 * A scripted registry for protocol edge cases a real registry cannot be made to produce
 * (throttling, failing token endpoints, expiring tokens). Real behaviour is covered in test/e2e.
 */
interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}
type Script = (req: IncomingMessage, seen: IncomingMessage[]) => Reply;

const servers: { close(): void }[] = [];
afterEach(() => servers.splice(0).forEach((s) => s.close()));

async function startFake(script: Script): Promise<{ host: string; seen: IncomingMessage[] }> {
  const seen: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      seen.push(req);
      const reply = script(req, seen);
      res.writeHead(reply.status, reply.headers ?? {});
      res.end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push({ close: () => server.close() });
  return { host: `127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const DIGEST = `sha256:${'b'.repeat(64)}`;
const FOUND: Reply = {
  status: 200,
  headers: {
    'docker-content-digest': DIGEST,
    'content-type': 'application/vnd.oci.image.manifest.v1+json',
    'content-length': '10',
  },
};
const fastRetry = { baseDelayMs: 100, maxDelayMs: 1000, attempts: 3 };

function isRegistryCall(req: IncomingMessage): boolean {
  return req.url?.startsWith('/v2/') ?? false;
}

describe('OciClient retries', () => {
  it('waits as long as Retry-After says on 429, then succeeds', async () => {
    const { host, seen } = await startFake((_req, s) =>
      s.length === 1 ? { status: 429, headers: { 'retry-after': '7' } } : FOUND,
    );
    const clock = new ManualClock();
    const delays: number[] = [];
    const client = new OciClient({
      host,
      maskSecret: () => undefined,
      clock,
      retry: fastRetry,
      onRetry: (_a, _r, ms) => delays.push(ms),
    });
    expect(await client.headManifest('api', 'v1')).toEqual({
      digest: DIGEST,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      size: 10,
    });
    expect(delays).toEqual([7000]);
    expect(clock.now().toISOString()).toBe('2026-01-01T00:00:07.000Z');
    expect(seen).toHaveLength(2);
  });

  it('backs off exponentially on 5xx and stops after the attempts with one message naming image, status and code', async () => {
    const { host, seen } = await startFake(() => ({
      status: 503,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ errors: [{ code: 'UNAVAILABLE', message: 'try later' }] }),
    }));
    const delays: number[] = [];
    const client = new OciClient({
      host,
      maskSecret: () => undefined,
      clock: new ManualClock(),
      retry: fastRetry,
      onRetry: (_a, _r, ms) => delays.push(ms),
    });
    const error = await client.getManifest('team/api', 'v1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as Error).message).toBe(
      `Could not read manifest ${host}/team/api:v1: HTTP 503 UNAVAILABLE (try later)`,
    );
    expect(delays).toEqual([100, 200]);
    expect(seen).toHaveLength(3);
  });

  it('retries refused connections and then names the network failure', async () => {
    const { host } = await startFake(() => FOUND);
    servers.splice(0).forEach((s) => s.close());
    await new Promise((r) => setTimeout(r, 20));
    const delays: number[] = [];
    const client = new OciClient({
      host,
      maskSecret: () => undefined,
      clock: new ManualClock(),
      retry: fastRetry,
      onRetry: (_a, _r, ms) => delays.push(ms),
    });
    await expect(client.headManifest('api', 'v1')).rejects.toThrow(
      `Could not check manifest ${host}/api:v1: request failed (ECONNREFUSED)`,
    );
    expect(delays).toHaveLength(2);
  });
});

describe('OciClient bearer auth', () => {
  function tokenRegistry(token: Script): Script {
    return (req, seen) => {
      if (!isRegistryCall(req)) return token(req, seen);
      const auth = req.headers.authorization ?? '';
      if (!auth.startsWith('Bearer ')) {
        const port = req.socket.localPort;
        return {
          status: 401,
          headers: {
            'www-authenticate': `Bearer realm="http://127.0.0.1:${port}/token",service="fake",scope="repository:api:pull"`,
          },
        };
      }
      return FOUND;
    };
  }

  it('gets one token with the credentials, caches it per scope and masks every secret', async () => {
    let tokenAuth = '';
    let tokenQuery = '';
    const { host, seen } = await startFake(
      tokenRegistry((req) => {
        tokenAuth = req.headers.authorization ?? '';
        tokenQuery = req.url ?? '';
        return {
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ token: 'tok-1', expires_in: 300 }),
        };
      }),
    );
    const masked: string[] = [];
    const client = new OciClient({
      host,
      credentials: { username: 'bot', password: 'pw' },
      maskSecret: (v) => masked.push(v),
      clock: new ManualClock(),
    });
    for (let i = 0; i < 3; i++) await client.headManifest('api', `v${i}`);
    expect(seen.filter((r) => r.url?.startsWith('/token'))).toHaveLength(1);
    expect(seen.filter(isRegistryCall)).toHaveLength(4);
    expect(tokenAuth).toBe(`Basic ${Buffer.from('bot:pw').toString('base64')}`);
    expect(new URLSearchParams(tokenQuery.split('?')[1]).getAll('scope')).toEqual(['repository:api:pull']);
    expect(masked).toEqual(expect.arrayContaining(['pw', Buffer.from('bot:pw').toString('base64'), 'tok-1']));
  });

  it('fetches a new token once the cached one expires', async () => {
    let issued = 0;
    const { host } = await startFake(
      tokenRegistry(() => ({ status: 200, body: JSON.stringify({ access_token: `t${++issued}`, expires_in: 60 }) })),
    );
    const clock = new ManualClock();
    const client = new OciClient({ host, maskSecret: () => undefined, clock });
    await client.headManifest('api', 'a');
    clock.advance(40000);
    await client.headManifest('api', 'b');
    expect(issued).toBe(1);
    clock.advance(30000);
    await client.headManifest('api', 'c');
    expect(issued).toBe(2);
  });

  it('asks for push scope when writing even though a pull token is cached', async () => {
    const scopes: string[] = [];
    const { host } = await startFake((req) => {
      if (req.url?.startsWith('/token')) {
        const scope = new URL(req.url, 'http://x').searchParams.get('scope') ?? '';
        scopes.push(scope);
        return { status: 200, body: JSON.stringify({ token: scope }) };
      }
      const auth = req.headers.authorization ?? '';
      const needed = req.method === 'PUT' ? 'repository:api:pull,push' : 'repository:api:pull';
      if (auth !== `Bearer ${needed}` && !(needed.endsWith('pull') && auth === 'Bearer repository:api:pull,push')) {
        const error = auth ? ',error="insufficient_scope"' : '';
        return {
          status: 401,
          headers: {
            'www-authenticate': `Bearer realm="http://${req.headers.host}/token",service="fake",scope="${needed}"${error}`,
          },
        };
      }
      return req.method === 'PUT' ? { status: 201, headers: { 'docker-content-digest': DIGEST } } : FOUND;
    });
    const client = new OciClient({ host, maskSecret: () => undefined, clock: new ManualClock() });
    await client.headManifest('api', 'v1');
    const bytes = Buffer.from('{}');
    await client.putManifest('api', 'v2', {
      bytes,
      digest: DIGEST,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
    });
    await client.headManifest('api', 'v3');
    expect(scopes).toEqual(['repository:api:pull', 'repository:api:pull,push']);
  });

  it('ends in one RegistryError when the token endpoint keeps failing, without leaking the password', async () => {
    const { host } = await startFake(tokenRegistry(() => ({ status: 500, body: 'boom' })));
    const client = new OciClient({
      host,
      credentials: { username: 'bot', password: 'hunter2' },
      maskSecret: () => undefined,
      clock: new ManualClock(),
      retry: fastRetry,
    });
    const error = (await client.headManifest('api', 'v1').catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(RegistryError);
    expect(error.message).toBe(`Could not get a token for ${host}/api:v1: HTTP 500 (token endpoint ${host})`);
    expect(error.message).not.toContain('hunter2');
    expect(error.message).not.toContain(Buffer.from('bot:hunter2').toString('base64'));
  });

  it('turns refused credentials at the token endpoint into a ConfigurationError', async () => {
    const { host } = await startFake(tokenRegistry(() => ({ status: 401 })));
    const client = new OciClient({
      host,
      credentials: { username: 'bot', password: 'bad' },
      maskSecret: () => undefined,
      clock: new ManualClock(),
    });
    const error = (await client.headManifest('api', 'v1').catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.message).toBe(
      `Registry ${host} refused the credentials for ${host}/api:v1 (HTTP 401): check the username, password/token and its permissions`,
    );
  });

  it('rejects a token response without a token', async () => {
    const { host } = await startFake(tokenRegistry(() => ({ status: 200, body: '{"expires_in":60}' })));
    const client = new OciClient({ host, maskSecret: () => undefined, clock: new ManualClock() });
    await expect(client.headManifest('api', 'v1')).rejects.toThrow(
      `Could not get a token for ${host}/api:v1: HTTP 200 BAD_TOKEN_RESPONSE (the token endpoint answered no token)`,
    );
  });
});

describe('OciClient basic auth', () => {
  it('answers a Basic challenge once, then sends credentials up front', async () => {
    const basic = `Basic ${Buffer.from('u:p').toString('base64')}`;
    const { host, seen } = await startFake((req) =>
      req.headers.authorization === basic
        ? FOUND
        : { status: 401, headers: { 'www-authenticate': 'Basic realm="Registry"' } },
    );
    const client = new OciClient({ host, credentials: { username: 'u', password: 'p' }, maskSecret: () => undefined });
    await client.headManifest('api', 'a');
    await client.headManifest('api', 'b');
    expect(seen.map((r) => r.headers.authorization ?? 'none')).toEqual(['none', basic, basic]);
  });

  it('tells an anonymous caller to log in', async () => {
    const { host } = await startFake(() => ({
      status: 401,
      headers: { 'www-authenticate': 'Basic realm="Registry"' },
    }));
    const client = new OciClient({ host, maskSecret: () => undefined });
    await expect(client.headManifest('api', 'a')).rejects.toThrow(
      `Registry ${host} wants credentials for ${host}/api:a: log in with docker/login-action before this step, or pass a username and password`,
    );
  });

  it('maps 401 after sending credentials to a ConfigurationError naming the image', async () => {
    const { host } = await startFake(() => ({
      status: 401,
      headers: { 'www-authenticate': 'Basic realm="Registry"' },
      body: '{"errors":[{"code":"UNAUTHORIZED"}]}',
    }));
    const client = new OciClient({
      host,
      credentials: { username: 'u', password: 'wrong' },
      maskSecret: () => undefined,
    });
    await expect(client.getManifest('api', 'a')).rejects.toThrow(
      `Registry ${host} denied read manifest ${host}/api:a (HTTP 401 UNAUTHORIZED): check the credentials and that they may pull from this repository`,
    );
  });
});
