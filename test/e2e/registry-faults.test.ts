import { afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { ManualClock } from '@preview-actions/core/action';
import { applyPromotion, OciClient, planPromotion, RegistryError } from '@preview-actions/core/registry';
import { ensureSandbox } from '../sandbox/ensure.js';
import type { SandboxEndpoints } from '../sandbox/endpoints.js';
import { createFaultProxyClient, type FaultProxyClient } from '../sandbox/fault-proxy/client.js';
import { pushImage } from './registry-fixtures.js';

let endpoints: SandboxEndpoints;
let proxy: FaultProxyClient;
const ruleIds: string[] = [];
const run = Date.now().toString(36);
/** A cold sandbox start (first run on a machine) takes far longer than jest's hook default. */
const SANDBOX_START_MS = 15 * 60_000;

beforeAll(async () => {
  endpoints = await ensureSandbox();
  proxy = createFaultProxyClient(endpoints.faultProxy.adminUrl);
}, SANDBOX_START_MS);
// Only our own rules are removed: other test files may be using the proxy at the same time.
afterEach(async () => {
  for (const id of ruleIds.splice(0)) await proxy.removeRule(id).catch(() => undefined);
});

function client(retries: { ms: number; reason: string }[]): OciClient {
  const { host, username, password } = endpoints.registries.token;
  return new OciClient({
    host,
    credentials: { username, password },
    maskSecret: () => undefined,
    clock: new ManualClock(),
    retry: { attempts: 3 },
    onRetry: (_attempt, reason, ms) => retries.push({ ms, reason }),
  });
}

describe('registry faults through the sandbox fault proxy', () => {
  it('rides out throttled manifest writes, honouring Retry-After, and still copies the exact digest', async () => {
    const retries: { ms: number; reason: string }[] = [];
    const c = client(retries);
    const rc = await pushImage(c, `faults-${run}/api`, 'throttled', 'v1.0.0-rc.1');
    const plan = await planPromotion(c, {
      repository: `faults-${run}/api`,
      sourceReference: 'v1.0.0-rc.1',
      targets: [{ tag: 'v1.0.0', immutable: true }],
    });
    const [rule] = await proxy.addRules({
      target: 'registryToken',
      operation: 'PUT /v2/{name}/manifests/{reference}',
      throttle: 2,
      retryAfterSeconds: 2,
    });
    ruleIds.push(rule!.id);
    const result = await applyPromotion(plan);
    expect(result.targets[0]).toEqual({ tag: 'v1.0.0', action: 'create', digest: rc.digest });
    expect(retries).toEqual([
      { ms: 2000, reason: 'HTTP 429' },
      { ms: 2000, reason: 'HTTP 429' },
    ]);
    expect((await c.headManifest(`faults-${run}/api`, 'v1.0.0'))?.digest).toBe(rc.digest);
  });

  it('gives up on a registry that keeps failing with one error naming the image and status', async () => {
    const retries: { ms: number; reason: string }[] = [];
    const c = client(retries);
    await pushImage(c, `faults-${run}/web`, 'down', 'v2.0.0-rc.1');
    const [rule] = await proxy.addRules({
      target: 'registryToken',
      operation: 'GET /v2/{name}/manifests/{reference}',
      status5xx: { times: 3, code: 503 },
    });
    ruleIds.push(rule!.id);
    const error = (await planPromotion(c, {
      repository: `faults-${run}/web`,
      sourceReference: 'v2.0.0-rc.1',
      targets: [{ tag: 'v2.0.0', immutable: true }],
    }).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(RegistryError);
    expect(error.message).toBe(
      `Could not read manifest ${endpoints.registries.token.host}/faults-${run}/web:v2.0.0-rc.1: HTTP 503 UNKNOWN (unknown error)`,
    );
    expect(retries.map((r) => r.reason)).toEqual(['HTTP 503', 'HTTP 503']);
  });
});
