// Sweeps 200 preview environments (100 of closed PRs, 50 idle, 50 active; one service each, with its target
// group, listener rule, task definition, DNS record, log stream and Redis keys) with 20 ms added to every
// AWS, GitHub and Cloudflare call by a fault proxy, and prints the wall time and the calls per backend.
// Runs on a private moto and Redis (the shared sandbox is restarted by other suites) and in-process stand-ins.
// Usage: npx tsx bench/cleanup-sweep.ts [environments]   (default 200; split 50% closed, 25% idle, 25% active)
import { runCleanupBench } from '../test/e2e/cleanup-bench.js';

const total = Number(process.argv[2] ?? 200);
if (!Number.isInteger(total) || total < 4 || total > 1000)
  throw new Error('environments must be a whole number from 4 to 1000');
const result = await runCleanupBench(total);
console.log(JSON.stringify(result, null, 2));
console.log(`bench-result ${JSON.stringify({ bench: 'cleanup-sweep', ...result })}`);
