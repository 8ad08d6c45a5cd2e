import { createPrivateKey, createPublicKey, randomUUID, sign, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLibtrustKeyId } from './libtrust-key-id.js';

export interface TokenServerOptions {
  /** 0 (the default) lets the kernel pick; the sandbox passes a port it reserved for the registry's config. */
  port?: number;
  privateKeyPem: string;
  issuer: string;
  service: string;
  username: string;
  password: string;
  ttlSeconds?: number;
}

export interface TokenServer {
  /** The realm to put in the registry's `auth.token` config. */
  realm: string;
  close(): Promise<void>;
}

interface AccessEntry {
  type: string;
  name: string;
  actions: string[];
}

const grantableActions = new Set(['pull', 'push', 'delete', '*']);

/** Parses `type:name:actions`; names may hold ':' (host:port/repo), so type and actions are split off the ends. */
function parseScope(scope: string): AccessEntry | undefined {
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  if (first < 0 || last <= first) return undefined;
  const type = scope.slice(0, first).replace(/\(.*\)$/, '');
  const actions = scope
    .slice(last + 1)
    .split(',')
    .filter((action) => grantableActions.has(action));
  return { type, name: scope.slice(first + 1, last), actions };
}

function encodeSegment(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function hasCredentials(request: IncomingMessage, username: string, password: string): boolean {
  const header = request.headers.authorization ?? '';
  if (!header.startsWith('Basic ')) return false;
  const given = Buffer.from(`${Buffer.from(header.slice(6), 'base64').toString('utf8')}`);
  const expected = Buffer.from(`${username}:${password}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

/**
 * A Docker registry token server (the `realm` of distribution's token auth): checks basic-auth credentials
 * and answers with an RS256 JWT whose `access` claim grants the requested scopes.
 */
export async function startTokenServer(options: TokenServerOptions): Promise<TokenServer> {
  const privateKey = createPrivateKey(options.privateKeyPem);
  const keyId = createLibtrustKeyId(createPublicKey(privateKey));
  const ttl = options.ttlSeconds ?? 300;

  function issueToken(access: AccessEntry[], subject: string) {
    const now = Math.floor(Date.now() / 1000);
    const header = { alg: 'RS256', typ: 'JWT', kid: keyId };
    const claims = {
      iss: options.issuer,
      sub: subject,
      aud: options.service,
      iat: now,
      nbf: now - 10,
      exp: now + ttl,
      jti: randomUUID(),
      access,
    };
    const signingInput = `${encodeSegment(header)}.${encodeSegment(claims)}`;
    const signature = sign('sha256', Buffer.from(signingInput), privateKey).toString('base64url');
    return { token: `${signingInput}.${signature}`, issuedAt: new Date(now * 1000).toISOString() };
  }

  function handle(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url ?? '/', 'http://token.invalid');
    if (request.method !== 'GET' || url.pathname !== '/token') {
      sendJson(response, 404, { errors: [{ code: 'NOT_FOUND', message: 'GET /token?service=&scope=' }] });
      return;
    }
    if (!hasCredentials(request, options.username, options.password)) {
      sendJson(
        response,
        401,
        { errors: [{ code: 'UNAUTHORIZED', message: 'basic credentials required' }] },
        {
          'www-authenticate': 'Basic realm="sandbox registry token"',
        },
      );
      return;
    }
    const service = url.searchParams.get('service');
    if (service !== null && service !== options.service) {
      sendJson(response, 400, { errors: [{ code: 'UNSUPPORTED', message: `unknown service ${service}` }] });
      return;
    }
    const access = url.searchParams
      .getAll('scope')
      .flatMap((scope) => scope.split(' '))
      .map(parseScope)
      .filter((entry): entry is AccessEntry => entry !== undefined);
    const { token, issuedAt } = issueToken(access, options.username);
    sendJson(response, 200, { token, access_token: token, expires_in: ttl, issued_at: issuedAt });
  }

  const server: Server = createServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
