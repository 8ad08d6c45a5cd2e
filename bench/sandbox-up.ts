// Measures `sandbox up` from cold (after `down`) to ready, over a few runs, and prints the median.
// Usage: npx tsx bench/sandbox-up.ts [runs]   (default 5)
import { spawnSync } from 'node:child_process';
import { repoRoot } from '../test/harness/paths.js';

const runs = Number(process.argv[2] ?? 5);
if (!Number.isInteger(runs) || runs < 1 || runs > 50) throw new Error('runs must be a whole number from 1 to 50');

function runCli(command: 'up' | 'down' | 'status') {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'test/sandbox/cli.ts', command, '--quiet'], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 15 * 60_000,
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  return { ...result, wallMs };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const wasUp = runCli('status').status === 0;
// The first `up` on a machine may install packages and fetch moto; that is not what this measures.
const warm = runCli('up');
if (warm.status !== 0) throw new Error(`sandbox up failed:\n${warm.stdout}${warm.stderr}`);

const wall: number[] = [];
const reported: number[] = [];
for (let run = 1; run <= runs; run += 1) {
  const down = runCli('down');
  if (down.status !== 0) throw new Error(`sandbox down failed:\n${down.stdout}${down.stderr}`);
  const up = runCli('up');
  if (up.status !== 0) throw new Error(`sandbox up failed:\n${up.stdout}${up.stderr}`);
  const inside = Number(/up in (\d+) ms/.exec(up.stdout)?.[1] ?? NaN);
  wall.push(up.wallMs);
  reported.push(inside);
  console.log(`run ${run}: ready after ${up.wallMs.toFixed(0)} ms (process start to exit; up itself ${inside} ms)`);
}
if (!wasUp) runCli('down');

console.log(
  `sandbox up, cold, ${runs} runs: median ${median(wall).toFixed(0)} ms wall, ${median(reported)} ms inside up`,
);
console.log(
  `bench-result ${JSON.stringify({ bench: 'sandbox-up', runs, wallMs: Math.round(median(wall)), insideUpMs: median(reported) })}`,
);
