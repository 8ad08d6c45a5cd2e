/**
 * deploy-pr-env under injected AWS latency: deploys the monolith's five services (api, admin, three celery
 * workers) as the first deploy of a fresh PR with 50 ms added to every AWS call by a private fault proxy,
 * and compares the wall time with the sequential sum (AWS calls × 50 ms). Runs without added latency on
 * other fresh PRs (after one unmeasured warm-up deploy) give the floor; median of 3 interleaved rounds. Run: npx tsx bench/deploy-pr-env.ts [latency-ms]   (default 50)
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OciClient } from '../packages/core/src/registry/index.js';
import type { ActionRun } from '../test/harness/index.js';
import { pushImage } from '../test/e2e/registry-fixtures.js';
import {
  deploySeed000,
  removePreviewEnvironment,
  renderSeed000EnvironmentFile,
} from '../test/e2e/seed-000-environment.js';
import { ensureSandbox } from '../test/sandbox/ensure.js';
import type { SandboxEndpoints } from '../test/sandbox/endpoints.js';
import { createFaultProxyClient } from '../test/sandbox/fault-proxy/client.js';
import { startFaultProxy, type FaultProxy } from '../test/sandbox/fault-proxy/server.js';

const latencyMs = Number(process.argv[2] ?? 50);
const ROUNDS = 3;
if (!Number.isInteger(latencyMs) || latencyMs < 1 || latencyMs > 1000) {
  throw new Error('latency-ms must be a whole number from 1 to 1000');
}

interface Measured {
  wallMs: number;
  calls: Record<string, number>;
  total: number;
}

async function deployOnce(
  sandbox: SandboxEndpoints,
  proxy: FaultProxy,
  workspace: string,
  pr: number,
  deployed: number[],
) {
  deployed.push(pr);
  const admin = createFaultProxyClient(proxy.adminUrl);
  const before = await admin.counters();
  const run: ActionRun = await deploySeed000(sandbox, {
    pr,
    workspace,
    awsUrl: proxy.urls.aws!,
    inputs: { 'wait-timeout': '120' },
    timeoutMs: 600_000,
  });
  if (run.exitCode !== 0) {
    const errors = run.annotations.filter((a) => a.level === 'error').map((a) => a.message);
    throw new Error(`deploy-pr-env for PR ${pr} exited ${run.exitCode}: ${errors.join(' | ') || run.stderr}`);
  }
  const after = await admin.counters();
  const calls: Record<string, number> = {};
  for (const [operation, counts] of Object.entries(after.aws ?? {})) {
    const delta = counts.calls - (before.aws?.[operation]?.calls ?? 0);
    if (delta > 0) calls[operation] = delta;
  }
  const total = Object.values(calls).reduce((sum, n) => sum + n, 0);
  return { wallMs: run.durationMs, calls, total } satisfies Measured;
}

async function main(): Promise<void> {
  const sandbox = await ensureSandbox();
  const proxy = await startFaultProxy({ targets: { aws: { url: sandbox.aws.directUrl, kind: 'aws' } } });
  const workspace = mkdtempSync(join(tmpdir(), 'bench-deploy-'));
  const deployed: number[] = [];
  try {
    mkdirSync(join(workspace, '.github'));
    writeFileSync(join(workspace, '.github', 'preview.yml'), renderSeed000EnvironmentFile(sandbox, 1));
    // Bench PRs live in their own range so they never meet a test's PR numbers.
    const basePr = 90_000 + Math.floor(Math.random() * 1_000) * (1 + 2 * ROUNDS);
    const prs = Array.from({ length: 1 + 2 * ROUNDS }, (_, i) => basePr + i);
    const registry = new OciClient({
      host: sandbox.registries.basic.directHost,
      credentials: { username: sandbox.registries.basic.username, password: sandbox.registries.basic.password },
      maskSecret: () => undefined,
    });
    for (const pr of prs) await pushImage(registry, 'previews/app', `pr-${pr}`, `pr-${pr}`);

    // The first deploy after moto starts pays its lazy set-up; it is not what this measures.
    await deployOnce(sandbox, proxy, workspace, prs[0]!, deployed);
    const admin = createFaultProxyClient(proxy.adminUrl);
    const floors: Measured[] = [];
    const slows: Measured[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Interleaved, so drift in machine load hits both series alike.
      floors.push(await deployOnce(sandbox, proxy, workspace, prs[1 + 2 * round]!, deployed));
      const [rule] = await admin.addRules({ target: 'aws', latencyMs });
      try {
        slows.push(await deployOnce(sandbox, proxy, workspace, prs[2 + 2 * round]!, deployed));
      } finally {
        await admin.removeRule(rule!.id);
      }
    }
    const byWall = (a: Measured, b: Measured) => a.wallMs - b.wallMs;
    const floor = [...floors].sort(byWall)[Math.floor(ROUNDS / 2)]!;
    const slow = [...slows].sort(byWall)[Math.floor(ROUNDS / 2)]!;
    const sequentialMs = slow.total * latencyMs;
    const added = slow.wallMs - floor.wallMs;
    console.log(
      `deploy-pr-env, monolith (5 services, 2 routed), first deploy of a fresh PR, median of ${ROUNDS} interleaved rounds`,
    );
    console.log(`  without added latency : ${floor.wallMs.toFixed(0)} ms wall, ${floor.total} AWS calls`);
    console.log(`  with ${latencyMs} ms per AWS call: ${slow.wallMs.toFixed(0)} ms wall, ${slow.total} AWS calls`);
    console.log(
      `  rounds                : ${floors.map((m) => m.wallMs.toFixed(0)).join(', ')} ms without; ${slows.map((m) => m.wallMs.toFixed(0)).join(', ')} ms with`,
    );
    console.log(`  sequential sum        : ${slow.total} calls × ${latencyMs} ms = ${sequentialMs} ms`);
    console.log(
      `  latency added to wall : ${added.toFixed(0)} ms = ${((added / sequentialMs) * 100).toFixed(0)}% of the sequential sum`,
    );
    console.log('  AWS calls by operation (latency run):');
    for (const [operation, n] of Object.entries(slow.calls).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) {
      console.log(`    ${String(n).padStart(4)}  ${operation}`);
    }
    console.log(
      `bench-result ${JSON.stringify({
        bench: 'deploy-pr-env',
        rounds: ROUNDS,
        latencyMs,
        wallMs: Math.round(slow.wallMs),
        floorWallMs: Math.round(floor.wallMs),
        wallRoundsMs: slows.map((m) => Math.round(m.wallMs)),
        floorRoundsMs: floors.map((m) => Math.round(m.wallMs)),
        awsCalls: slow.total,
        sequentialMs,
        addedMs: Math.round(added),
        callsByOperation: slow.calls,
      })}`,
    );
  } finally {
    // The shared listener holds 100 rules: leave none behind.
    for (const pr of deployed) await removePreviewEnvironment(sandbox, pr);
    rmSync(workspace, { recursive: true, force: true });
    await proxy.close();
  }
}

await main();
