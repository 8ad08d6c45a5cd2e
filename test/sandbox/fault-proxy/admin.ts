import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CallCounters } from './counters.js';
import { readBody, sendJson } from './http.js';
import type { FaultRuleSpec, FaultRules } from './rules.js';

/** What the admin API reads and changes. */
export interface FaultProxyControl {
  rules: FaultRules;
  counters: CallCounters;
  targets: Record<string, { kind: string; upstream: string; url: string }>;
}

const MAX_ADMIN_BODY = 64 * 1024;

/**
 * The admin API (JSON): `GET /rules`, `POST /rules` (one rule or an array; answers the stored rules with ids),
 * `DELETE /rules`, `DELETE /rules/{id}`, `GET /counters`, `POST /reset` (rules and counters), `GET /targets`,
 * `GET /health`.
 */
export async function handleFaultProxyAdmin(
  control: FaultProxyControl,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://admin').pathname.replace(/\/$/, '');
  const route = `${req.method} ${path}`;
  try {
    if (route === 'GET /health') return sendJson(res, 200, { ok: true });
    if (route === 'GET /targets') return sendJson(res, 200, control.targets);
    if (route === 'GET /counters') return sendJson(res, 200, control.counters.snapshot());
    if (route === 'GET /rules') return sendJson(res, 200, control.rules.list());
    if (route === 'POST /rules') {
      const body = JSON.parse((await readBody(req, MAX_ADMIN_BODY)).toString('utf8')) as
        FaultRuleSpec | FaultRuleSpec[];
      const specs = Array.isArray(body) ? body : [body];
      return sendJson(
        res,
        200,
        specs.map((spec) => control.rules.add(spec)),
      );
    }
    if (route === 'DELETE /rules') {
      control.rules.clear();
      return sendJson(res, 200, { cleared: true });
    }
    const one = /^DELETE \/rules\/([^/]+)$/.exec(route);
    if (one) {
      const removed = control.rules.remove(decodeURIComponent(one[1]!));
      return sendJson(res, removed ? 200 : 404, { removed });
    }
    if (route === 'POST /reset') {
      control.rules.clear();
      control.counters.clear();
      return sendJson(res, 200, { reset: true });
    }
    sendJson(res, 404, {
      error: `No admin route ${route}; try GET /rules, POST /rules, DELETE /rules[/{id}], GET /counters, POST /reset, GET /targets`,
    });
  } catch (error) {
    sendJson(res, 400, { error: error instanceof Error ? error.message : String(error) });
  }
}
