import { Agent, createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { handleFaultProxyAdmin, type FaultProxyControl } from './admin.js';
import { CallCounters } from './counters.js';
import { sendFault } from './fault-responses.js';
import { forwardRequest } from './forward.js';
import { listenOnFreeLoopbackPort, readBody, sendJson, stopServer } from './http.js';
import type { TargetKind } from './operation.js';
import { nameOperation, needsBody } from './operations.js';
import { FaultRules } from './rules.js';

export type { TargetKind } from './operation.js';
export type { FaultRuleSpec } from './rules.js';
export type { OperationCounts } from './counters.js';

/** One backend the proxy stands in front of. */
export interface FaultProxyTarget {
  /** Upstream base URL on loopback; its path (e.g. /client/v4) is kept in the proxy's URL. */
  url: string;
  kind: TargetKind;
}

export interface FaultProxyOptions {
  targets: Record<string, FaultProxyTarget>;
}

export interface FaultProxy {
  adminUrl: string;
  /** Per target, the proxy URL to give clients instead of the upstream URL. */
  urls: Record<string, string>;
  close(): Promise<void>;
}

interface ProxiedTarget {
  name: string;
  kind: TargetKind;
  upstream: URL;
  basePath: string;
}

const MAX_BUFFERED_BODY = 16 * 1024 * 1024;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Starts one loopback listener per target that forwards every call (bodies streamed, headers and Host kept),
 * names each call's operation in the backend's vocabulary, counts it, and applies the fault rules scripted
 * through the admin listener: latency, throttling in the backend's own form, 5xx, connection resets and
 * "fail the k-th mutating call", the last three optionally after the backend has processed the call.
 */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const control: FaultProxyControl = { rules: new FaultRules(), counters: new CallCounters(), targets: {} };
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const servers: Server[] = [];
  const urls: Record<string, string> = {};
  try {
    for (const [name, target] of Object.entries(options.targets)) {
      const proxied = readTarget(name, target);
      const server = createServer((req, res) => {
        void handleCall(control, proxied, agent, req, res);
      });
      servers.push(server);
      urls[name] = `${await listenOnFreeLoopbackPort(server)}${proxied.basePath}`;
      control.targets[name] = { kind: target.kind, upstream: target.url, url: urls[name] };
    }
    const admin = createServer((req, res) => {
      void handleFaultProxyAdmin(control, req, res);
    });
    servers.push(admin);
    const adminUrl = await listenOnFreeLoopbackPort(admin);
    return {
      adminUrl,
      urls,
      close: async () => {
        await Promise.all(servers.map((server) => stopServer(server)));
        agent.destroy();
      },
    };
  } catch (error) {
    await Promise.all(servers.filter((server) => server.listening).map((server) => stopServer(server)));
    agent.destroy();
    throw error;
  }
}

function readTarget(name: string, target: FaultProxyTarget): ProxiedTarget {
  const upstream = new URL(target.url);
  if (!LOOPBACK_HOSTS.has(upstream.hostname)) {
    throw new Error(`Fault proxy target '${name}' must be a loopback URL (127.0.0.1), not ${upstream.host}.`);
  }
  if (!['aws', 'github', 'cloudflare', 'registry'].includes(target.kind)) {
    throw new Error(
      `Fault proxy target '${name}' has unknown kind '${target.kind}'; use aws, github, cloudflare or registry.`,
    );
  }
  return { name, kind: target.kind, upstream, basePath: upstream.pathname.replace(/\/+$/, '') };
}

async function handleCall(
  control: FaultProxyControl,
  target: ProxiedTarget,
  agent: Agent,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  try {
    const method = req.method ?? 'GET';
    const pathname = new URL(req.url ?? '/', 'http://proxy').pathname;
    const path = pathname.startsWith(target.basePath) ? pathname.slice(target.basePath.length) || '/' : pathname;
    const facts = { method, path, headers: req.headers };
    const body = needsBody(target.kind, facts) ? await readBody(req, MAX_BUFFERED_BODY) : undefined;
    const named = nameOperation(target.kind, { ...facts, body });
    const decision = control.rules.decide(target.name, named.operation, named.mutating, named.accessKeyId);
    control.counters.record(target.name, named.operation, named.mutating, decision.fault !== undefined);
    if (decision.latencyMs > 0) {
      await sleep(decision.latencyMs);
      if (res.destroyed) return;
    }
    const fault = decision.fault;
    if (!fault) {
      forwardRequest(target.upstream, agent, req, res, body);
    } else if ((fault.kind === 'status' || fault.kind === 'reset') && fault.afterForward) {
      forwardRequest(target.upstream, agent, req, res, body, () => sendFault(target.kind, named, fault, req, res));
    } else {
      sendFault(target.kind, named, fault, req, res);
    }
  } catch (error) {
    if (!res.headersSent)
      sendJson(res, 400, { message: `fault proxy: ${error instanceof Error ? error.message : String(error)}` });
    else res.destroy();
  }
}
