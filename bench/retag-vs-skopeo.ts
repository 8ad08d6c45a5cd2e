/**
 * Compares promoting 6 services × 2 target tags with the registry layer against `skopeo copy --all`
 * (one process per tag, as a shell loop would) on a local registry. Prints the median of a few rounds,
 * the speed ratio and HTTP requests per target tag, on the sandbox's basic-auth registry (or its
 * token-auth one with the argument `token`). Run: npx tsx bench/retag-vs-skopeo.ts [basic|token]
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { applyPromotion, assertNoConflicts, OciClient, planPromotion } from '../packages/core/src/registry/index.js';
import { mapConcurrent } from '../packages/core/src/util/map-concurrent.js';
import { pushIndex } from '../test/e2e/registry-fixtures.js';
import { ensureSandbox } from '../test/sandbox/ensure.js';

const execFileAsync = promisify(execFile);
const SERVICES = ['api', 'web', 'worker', 'admin', 'billing', 'search'];
const ROUNDS = 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

async function main(): Promise<void> {
  const endpoints = await ensureSandbox();
  const which = process.argv[2] === 'token' ? 'token' : 'basic';
  // Direct to the registry: the fault proxy would add its own hop to both contenders.
  const { directHost: host, username, password } = endpoints.registries[which];
  const registry = { host, username, password };
  const run = Date.now().toString(36);
  const dir = mkdtempSync(join(tmpdir(), 'retag-bench-'));
  try {
    const authfile = join(dir, 'auth.json');
    const auth = Buffer.from(`${registry.username}:${registry.password}`).toString('base64');
    writeFileSync(authfile, JSON.stringify({ auths: { [registry.host]: { auth } } }));
    const setup = new OciClient({ host: registry.host, credentials: registry, maskSecret: () => undefined });
    await mapConcurrent(SERVICES, 6, (s) => pushIndex(setup, `bench-${run}/${s}`, s, 'v1.0.0-rc.1'));

    const ours: number[] = [];
    const skopeo: number[] = [];
    let requests = 0;
    for (let round = 0; round < ROUNDS; round++) {
      let counted = 0;
      const client = new OciClient({
        host: registry.host,
        credentials: registry,
        maskSecret: () => undefined,
        onRequest: () => counted++,
      });
      const started = performance.now();
      const plans = await mapConcurrent(SERVICES, 6, (s) =>
        planPromotion(client, {
          repository: `bench-${run}/${s}`,
          sourceReference: 'v1.0.0-rc.1',
          targets: [
            { tag: `v1.0.${round}-ours`, immutable: true },
            { tag: `prod-ours-${round}`, immutable: false },
          ],
        }),
      );
      assertNoConflicts(plans);
      await mapConcurrent(plans, 6, (plan) => applyPromotion(plan));
      ours.push(performance.now() - started);
      requests = counted;

      const t0 = performance.now();
      for (const s of SERVICES) {
        for (const tag of [`v1.0.${round}-skopeo`, `prod-skopeo-${round}`]) {
          await execFileAsync('skopeo', [
            'copy',
            '--all',
            '--quiet',
            '--authfile',
            authfile,
            '--src-tls-verify=false',
            '--dest-tls-verify=false',
            `docker://${registry.host}/bench-${run}/${s}:v1.0.0-rc.1`,
            `docker://${registry.host}/bench-${run}/${s}:${tag}`,
          ]);
        }
      }
      skopeo.push(performance.now() - t0);
    }
    const tags = SERVICES.length * 2;
    const [o, k] = [median(ours), median(skopeo)];
    console.log(`registry       : ${which}-auth sandbox registry ${host}`);
    console.log(
      `registry layer : ${o.toFixed(0)} ms median over ${ROUNDS} rounds (${SERVICES.length} services × 2 tags, two-platform index + attestation)`,
    );
    console.log(`skopeo copy --all (one process per tag): ${k.toFixed(0)} ms median`);
    console.log(`ratio          : ${(k / o).toFixed(1)}x faster`);
    console.log(
      `HTTP requests  : ${requests} for ${tags} tags = ${(requests / tags).toFixed(2)} per tag (auth round-trips included)`,
    );
    console.log(
      `bench-result ${JSON.stringify({ bench: 'retag-vs-skopeo', registry: which, rounds: ROUNDS, tags, oursMs: Math.round(o), skopeoMs: Math.round(k), speedup: Math.round((k / o) * 10) / 10, requests })}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
