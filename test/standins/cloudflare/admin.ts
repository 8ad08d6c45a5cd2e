import type { IncomingMessage, ServerResponse } from 'node:http';
import { CloudflareApiError, sendJson } from './envelope.js';
import { readJsonBody } from './http.js';
import type { DnsRecordInput } from './records.js';
import type { CloudflareState } from './state.js';

type AdminHandler = (state: CloudflareState, defaultZoneId: string, body: unknown, query: URLSearchParams) => unknown;

const ADMIN_ROUTES: Record<string, AdminHandler> = {
  'GET /zones': (state) => [...state.zones.values()],
  'POST /zones': (state, _zone, body) => state.addZone(readString(body, 'name')),
  'GET /records': (state, _zone, _body, query) => {
    const zoneId = query.get('zone_id');
    return [...state.records.values()].filter((record) => zoneId === null || record.zone_id === zoneId);
  },
  'POST /records': (state, defaultZoneId, body) => {
    const inputs = Array.isArray(body) ? body : [body];
    return inputs.map((input: DnsRecordInput & { zone_id?: string }) =>
      state.createRecord(input.zone_id ?? defaultZoneId, input),
    );
  },
  'DELETE /records': (state) => {
    state.records.clear();
    return { deleted: true };
  },
  'GET /counters': (state) => Object.fromEntries(state.counters),
  'POST /rate-limit': (state, _zone, body) => {
    const count = readNumber(body, 'count');
    const retryAfter = body && typeof body === 'object' && 'retryAfter' in body ? readNumber(body, 'retryAfter') : 1;
    state.rateLimit = { remaining: count, retryAfterSeconds: retryAfter };
    return state.rateLimit;
  },
  'POST /reset': (state) => {
    state.reset();
    return { reset: true };
  },
};

/**
 * Serves the unauthenticated admin API under /__admin: `GET|POST /zones`, `GET|POST|DELETE /records`
 * (POST takes one record body or an array, `zone_id` defaults to the stand-in's zone), `GET /counters`,
 * `POST /rate-limit {count, retryAfter}` and `POST /reset`.
 */
export async function handleCloudflareAdmin(
  state: CloudflareState,
  defaultZoneId: string,
  path: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const handler = ADMIN_ROUTES[`${req.method} ${path.replace(/\/$/, '')}`];
  if (!handler) {
    sendJson(res, 404, { error: `No admin route ${req.method} ${path}; see ${Object.keys(ADMIN_ROUTES).join(', ')}` });
    return;
  }
  try {
    const body = req.method === 'POST' ? await readJsonBody(req) : undefined;
    sendJson(res, 200, handler(state, defaultZoneId, body, new URL(req.url ?? '/', 'http://admin').searchParams));
  } catch (error) {
    const status = error instanceof CloudflareApiError ? error.status : 400;
    const code = error instanceof CloudflareApiError ? error.code : undefined;
    sendJson(res, status, { error: error instanceof Error ? error.message : String(error), code });
  }
}

function readString(body: unknown, key: string): string {
  const value = body && typeof body === 'object' ? (body as Record<string, unknown>)[key] : undefined;
  if (typeof value !== 'string' || value === '') throw new Error(`Body field '${key}' must be a non-empty string.`);
  return value;
}

function readNumber(body: unknown, key: string): number {
  const value = body && typeof body === 'object' ? (body as Record<string, unknown>)[key] : undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new Error(`Body field '${key}' must be a non-negative number.`);
  }
  return value;
}
