import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { handleCloudflareAdmin } from './admin.js';
import { CloudflareApiError, sendCloudflareError, sendCloudflareResult } from './envelope.js';
import { selectRecordPage } from './filters.js';
import { closeServer, listenOnLoopback, readJsonBody } from './http.js';
import type { DnsRecordInput } from './records.js';
import { CloudflareState } from './state.js';
import { presentZone } from './zones.js';

/** The bearer token the stand-in accepts when none is given. */
export const DEFAULT_CLOUDFLARE_TOKEN = 'sandbox-cloudflare-token';
/** The zone the stand-in creates when none is given. */
export const DEFAULT_CLOUDFLARE_ZONE = 'example.com';

const API_PREFIX = '/client/v4';
const ADMIN_PREFIX = '/__admin';

export interface CloudflareStandInOptions {
  port?: number;
  token?: string;
  zoneName?: string;
}

export interface CloudflareStandIn {
  /** Base URL for the SDK's `baseURL`, ending in /client/v4. */
  url: string;
  zoneId: string;
  /** Seed/inspect endpoints (no auth): records, zones, counters, rate-limit, reset. */
  adminUrl: string;
  state: CloudflareState;
  close(): Promise<void>;
}

interface Route {
  method: string;
  pattern: RegExp;
  template: string;
  handle(state: CloudflareState, params: string[], req: IncomingMessage, query: URLSearchParams): Promise<Reply>;
}

interface Reply {
  status: number;
  result: unknown;
  resultInfo?: Record<string, number>;
}

const ID = '([^/]+)';

const ROUTES: Route[] = [
  {
    method: 'GET',
    pattern: /^\/user\/tokens\/verify$/,
    template: 'GET /user/tokens/verify',
    handle: async () => ({ status: 200, result: { id: '0'.repeat(32), status: 'active' } }),
  },
  {
    method: 'GET',
    pattern: /^\/zones$/,
    template: 'GET /zones',
    handle: async (state, _params, _req, query) => listZones(state, query),
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/zones/${ID}$`),
    template: 'GET /zones/{zone_id}',
    handle: async (state, [zoneId]) => ({ status: 200, result: presentZone(state.readZone(zoneId!)) }),
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/zones/${ID}/dns_records$`),
    template: 'GET /zones/{zone_id}/dns_records',
    handle: async (state, [zoneId], _req, query) => {
      const page = selectRecordPage(state.listRecords(state.readZone(zoneId!).id), query);
      return { status: 200, result: page.result, resultInfo: page.resultInfo };
    },
  },
  {
    method: 'POST',
    pattern: new RegExp(`^/zones/${ID}/dns_records$`),
    template: 'POST /zones/{zone_id}/dns_records',
    handle: async (state, [zoneId], req) => ({
      status: 200,
      result: state.createRecord(zoneId!, await readInput(req)),
    }),
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/zones/${ID}/dns_records/${ID}$`),
    template: 'GET /zones/{zone_id}/dns_records/{dns_record_id}',
    handle: async (state, [zoneId, id]) => ({ status: 200, result: state.readRecord(state.readZone(zoneId!).id, id!) }),
  },
  {
    method: 'PATCH',
    pattern: new RegExp(`^/zones/${ID}/dns_records/${ID}$`),
    template: 'PATCH /zones/{zone_id}/dns_records/{dns_record_id}',
    handle: async (state, [zoneId, id], req) => ({
      status: 200,
      result: state.editRecord(zoneId!, id!, await readInput(req)),
    }),
  },
  {
    method: 'PUT',
    pattern: new RegExp(`^/zones/${ID}/dns_records/${ID}$`),
    template: 'PUT /zones/{zone_id}/dns_records/{dns_record_id}',
    handle: async (state, [zoneId, id], req) => ({
      status: 200,
      result: state.overwriteRecord(zoneId!, id!, await readInput(req)),
    }),
  },
  {
    method: 'DELETE',
    pattern: new RegExp(`^/zones/${ID}/dns_records/${ID}$`),
    template: 'DELETE /zones/{zone_id}/dns_records/{dns_record_id}',
    handle: async (state, [zoneId, id]) => ({ status: 200, result: state.deleteRecord(zoneId!, id!) }),
  },
];

/**
 * Starts a stateful stand-in for Cloudflare API v4 DNS records on 127.0.0.1: bearer-token auth, zones, record CRUD
 * with Cloudflare's duplicate errors (81053/81054/81057), list filters and pagination, and scripted 429s.
 */
export async function startCloudflareStandIn(options: CloudflareStandInOptions = {}): Promise<CloudflareStandIn> {
  const token = options.token ?? DEFAULT_CLOUDFLARE_TOKEN;
  const state = new CloudflareState();
  const zone = state.addZone(options.zoneName ?? DEFAULT_CLOUDFLARE_ZONE);
  const server = createServer((req, res) => {
    void routeRequest(state, token, zone.id, req, res);
  });
  const origin = await listenOnLoopback(server, options.port ?? 0);
  return {
    url: `${origin}${API_PREFIX}`,
    zoneId: zone.id,
    adminUrl: `${origin}${ADMIN_PREFIX}`,
    state,
    close: () => closeServer(server),
  };
}

async function routeRequest(
  state: CloudflareState,
  token: string,
  defaultZoneId: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://stand-in');
  try {
    if (url.pathname.startsWith(`${ADMIN_PREFIX}/`)) {
      await handleCloudflareAdmin(state, defaultZoneId, url.pathname.slice(ADMIN_PREFIX.length), req, res);
      return;
    }
    if (!url.pathname.startsWith(`${API_PREFIX}/`)) throw new CloudflareApiError(400, 7000, 'No route for that URI');
    const path = url.pathname.slice(API_PREFIX.length).replace(/\/$/, '');
    const method = req.method ?? 'GET';
    const candidates = ROUTES.filter((route) => route.pattern.test(path));
    const route = candidates.find((candidate) => candidate.method === method);
    state.countRequest(route?.template ?? `${method} ${path}`);
    const retryAfter = state.takeRateLimit();
    if (retryAfter !== undefined) {
      throw new CloudflareApiError(429, 971, 'Please wait and consider throttling your request speed', {
        'retry-after': String(retryAfter),
      });
    }
    authenticate(req, token);
    if (!route) {
      if (candidates.length > 0)
        throw new CloudflareApiError(405, 10405, `Method ${method} not allowed for this route`);
      throw new CloudflareApiError(400, 7000, 'No route for that URI');
    }
    const params = (route.pattern.exec(path) ?? []).slice(1).map((part) => decodeURIComponent(part));
    const reply = await route.handle(state, params, req, url.searchParams);
    sendCloudflareResult(res, reply.status, reply.result, reply.resultInfo);
  } catch (error) {
    if (error instanceof CloudflareApiError) {
      sendCloudflareError(res, error);
    } else {
      sendCloudflareError(res, new CloudflareApiError(500, 10001, `Stand-in failure: ${String(error)}`));
    }
  }
}

function authenticate(req: IncomingMessage, token: string): void {
  const header = req.headers.authorization;
  if (!header) {
    throw new CloudflareApiError(400, 9106, 'Missing X-Auth-Key, X-Auth-Email or Authorization headers');
  }
  const given = Buffer.from(header.replace(/^Bearer\s+/i, ''));
  const expected = Buffer.from(token);
  if (!/^Bearer\s/i.test(header) || given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new CloudflareApiError(401, 10000, 'Authentication error');
  }
}

async function readInput(req: IncomingMessage): Promise<DnsRecordInput> {
  const body = await readJsonBody(req);
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new CloudflareApiError(400, 6007, 'Malformed JSON in request body');
  }
  return body as DnsRecordInput;
}

function listZones(state: CloudflareState, query: URLSearchParams): Reply {
  const name = query.get('name')?.toLowerCase();
  const zones = [...state.zones.values()].filter((zone) => name === undefined || zone.name === name);
  const perPage = Math.min(Math.max(Number(query.get('per_page') ?? 20) || 20, 5), 50);
  const page = Math.max(Number(query.get('page') ?? 1) || 1, 1);
  const result = zones.slice((page - 1) * perPage, page * perPage).map(presentZone);
  return {
    status: 200,
    result,
    resultInfo: {
      page,
      per_page: perPage,
      count: result.length,
      total_count: zones.length,
      total_pages: Math.ceil(zones.length / perPage),
    },
  };
}
