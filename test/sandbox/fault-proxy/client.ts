import type { OperationCounts } from './counters.js';
import type { ActiveRule, FaultRuleSpec } from './rules.js';

/** Typed access to a running fault proxy's admin API, for tests and the sandbox CLI. */
export interface FaultProxyClient {
  /** Adds rules in order; answers them with their ids and budgets. */
  addRules(...rules: FaultRuleSpec[]): Promise<ActiveRule[]>;
  rules(): Promise<ActiveRule[]>;
  removeRule(id: string): Promise<void>;
  /** `{ target: { operation: {calls, mutating, faulted} } }` since the last reset. */
  counters(): Promise<Record<string, Record<string, OperationCounts>>>;
  /** Clears rules and counters. */
  reset(): Promise<void>;
}

const ADMIN_TIMEOUT_MS = 5000;

/** Builds a {@link FaultProxyClient} for `adminUrl` (FAULT_PROXY_ADMIN_URL in the sandbox env). */
export function createFaultProxyClient(adminUrl: string): FaultProxyClient {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${adminUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(ADMIN_TIMEOUT_MS),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`fault proxy admin ${method} ${path} answered ${response.status}: ${text}`);
    return JSON.parse(text) as T;
  };
  return {
    addRules: (...rules) => call('POST', '/rules', rules),
    rules: () => call('GET', '/rules'),
    removeRule: async (id) => {
      await call('DELETE', `/rules/${encodeURIComponent(id)}`);
    },
    counters: () => call('GET', '/counters'),
    reset: async () => {
      await call('POST', '/reset');
    },
  };
}
