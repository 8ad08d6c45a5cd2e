/**
 * `pnpm bench`: runs every bench script as its own process, one after another, and prints one table built
 * from each script's final `bench-result {json}` line. Scripts' own output goes to stderr, the table to stdout.
 * Usage: pnpm bench [--only a,b] [--skip a,b]   (names without .ts; e.g. --skip sandbox-up on a shared sandbox)
 * Exits 1 when any script failed or printed no bench-result line (a script not written yet is only shown).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../test/harness/paths.js';

/** In run order; sandbox-up goes last because it restarts the sandbox the others use. */
const SCRIPTS = [
  'cold-start',
  'classify-tag',
  'retag-vs-skopeo',
  'deploy-pr-env',
  'promotion-wait',
  'cleanup-sweep',
  'sandbox-up',
];
const SCRIPT_TIMEOUT_MS = 20 * 60_000;

type BenchResult = Record<string, unknown> & { bench: string };

interface Outcome {
  script: string;
  result?: BenchResult;
  problem?: string;
  /** The script does not exist yet: shown, but not a failure. */
  missing?: boolean;
  wallMs: number;
}

function readList(flag: string): string[] | undefined {
  const index = process.argv.indexOf(flag);
  if (index < 0) return undefined;
  const value = process.argv[index + 1];
  if (!value || value.startsWith('--')) throw new Error(`${flag} needs a comma-separated list of bench names`);
  const names = value.split(',').map((name) => name.trim().replace(/\.ts$/, ''));
  const unknown = names.filter((name) => !SCRIPTS.includes(name));
  if (unknown.length) throw new Error(`unknown bench ${unknown.join(', ')}; known: ${SCRIPTS.join(', ')}`);
  return names;
}

/** The last `bench-result` line of a script's stdout, parsed. */
function parseBenchResult(stdout: string): BenchResult | undefined {
  const line = stdout
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('bench-result '));
  if (!line) return undefined;
  const parsed = JSON.parse(line.slice('bench-result '.length)) as BenchResult;
  return typeof parsed.bench === 'string' ? parsed : undefined;
}

function runScript(script: string): Promise<Outcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join('bench', `${script}.ts`)], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let tail = '';
    const relay = (chunk: string) => {
      process.stderr.write(chunk.replace(/^(?=.)/gm, `[${script}] `));
      tail = (tail + chunk).slice(-2000);
    };
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      relay(chunk);
    });
    child.stderr.setEncoding('utf8').on('data', relay);
    const timer = setTimeout(() => child.kill('SIGKILL'), SCRIPT_TIMEOUT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const wallMs = performance.now() - started;
      const lastLine = tail.trim().split('\n').pop() ?? '';
      if (signal)
        return resolve({ script, wallMs, problem: `killed by ${signal} (limit ${SCRIPT_TIMEOUT_MS / 60_000} min)` });
      let result: BenchResult | undefined;
      try {
        result = parseBenchResult(stdout);
      } catch (error) {
        return resolve({ script, wallMs, problem: `unreadable bench-result line: ${String(error)}` });
      }
      if (code !== 0) return resolve({ script, wallMs, problem: `exited ${code}: ${lastLine.slice(0, 160)}` });
      if (!result) return resolve({ script, wallMs, problem: 'printed no bench-result line' });
      resolve({ script, wallMs, result });
    });
  });
}

const num = (value: unknown, digits = 0): string =>
  typeof value === 'number' && Number.isFinite(value) ? value.toFixed(digits) : '?';

interface ColdStartResult {
  actions: {
    action: string;
    medianMs: number;
    baselineMs: number;
    ratio: number;
    stoppedAt: string;
    bundleKiB: number;
  }[];
}
interface ClassifyTagResult {
  actionMs: number;
  baselineMs: number;
  ratio: number;
  parserUs: Record<string, number>;
  sdks: string[];
}
interface RetagResult {
  registry: string;
  tags: number;
  oursMs: number;
  skopeoMs: number;
  speedup: number;
  requests: number;
}
interface DeployResult {
  latencyMs: number;
  wallMs: number;
  floorWallMs: number;
  addedMs: number;
  awsCalls: number;
  sequentialMs: number;
}
interface CleanupSweepResult {
  environments: number;
  latencyMsPerCall: number;
  wallSeconds: number;
  callsPerBackend: Record<string, number>;
}
interface PromotionWaitResult {
  rounds: number;
  /** `healthy/records`, `healthy/primary`, `crash/records`, `crash/primary` → median ms. */
  medianMs: Record<string, number>;
  runsMs: Record<string, number[]>;
}
interface SandboxUpResult {
  runs: number;
  wallMs: number;
  insideUpMs: number;
}
type Row = [string, string, string];

/** Table rows (figure, value, for comparison) for one script's result. */
function describeResult(result: BenchResult): Row[] {
  switch (result.bench) {
    case 'cold-start':
      return (result as unknown as ColdStartResult).actions.flatMap((a): Row[] => [
        [
          `cold start ${a.action}`,
          `${num(a.medianMs)} ms (${a.stoppedAt})`,
          `node -e 0 ${num(a.baselineMs)} ms → ${num(a.ratio, 2)}x`,
        ],
        [`bundle size ${a.action}`, `${a.bundleKiB} KiB`, 'dist/*.js'],
      ]);
    case 'classify-tag': {
      const r = result as unknown as ClassifyTagResult;
      return [
        [
          'classify-tag cold start (success path)',
          `${num(r.actionMs)} ms`,
          `node -e 0 ${num(r.baselineMs)} ms → ${num(r.ratio, 2)}x (aim ≤ 2x)`,
        ],
        [
          'classify-tag parser, worst 100 KB input',
          `${num(Math.max(...Object.values(r.parserUs)), 1)} µs`,
          `SDKs in bundle: ${r.sdks.join(', ') || 'none'}`,
        ],
      ];
    }
    case 'retag-vs-skopeo': {
      const r = result as unknown as RetagResult;
      return [
        [
          `retag-promote, ${r.tags} tags (${r.registry} auth)`,
          `${num(r.oursMs)} ms`,
          `skopeo copy --all ${num(r.skopeoMs)} ms → ${num(r.speedup, 1)}x faster`,
        ],
        ['retag-promote HTTP requests per tag', num(r.requests / r.tags, 2), `${r.requests} in all`],
      ];
    }
    case 'deploy-pr-env': {
      const r = result as unknown as DeployResult;
      return [
        [
          `deploy-pr-env, 5 services, +${r.latencyMs} ms per AWS call`,
          `${num(r.wallMs)} ms wall (${num(r.addedMs)} ms over no-latency ${num(r.floorWallMs)} ms)`,
          `sequential sum ${r.awsCalls} calls × ${r.latencyMs} ms = ${num(r.sequentialMs)} ms`,
        ],
      ];
    }
    case 'cleanup-sweep': {
      const r = result as unknown as CleanupSweepResult;
      const calls = Object.entries(r.callsPerBackend);
      return [
        [
          `cleanup sweep, ${r.environments} environments, +${r.latencyMsPerCall} ms per call`,
          `${num(r.wallSeconds * 1000)} ms wall`,
          `${calls.reduce((sum, [, n]) => sum + n, 0)} calls: ${calls.map(([k, n]) => `${k} ${n}`).join(', ')}`,
        ],
      ];
    }
    case 'promotion-wait': {
      const r = result as unknown as PromotionWaitResult;
      const runs = (key: string) => (r.runsMs[key] ?? []).join(', ');
      return [
        ['healthy promotion, deployment-record waiter', 'healthy/records', 'healthy/primary'],
        ['crash and rollback, deployment-record waiter', 'crash/records', 'crash/primary'],
      ].map(([figure, records, primary]): Row => [
        figure!,
        `${num(r.medianMs[records!])} ms (runs ${runs(records!)})`,
        `PRIMARY-deployment waiter ${num(r.medianMs[primary!])} ms (runs ${runs(primary!)})`,
      ]);
    }
    case 'sandbox-up': {
      const r = result as unknown as SandboxUpResult;
      return [
        ['sandbox up from cold', `${num(r.wallMs)} ms wall`, `${num(r.insideUpMs)} ms inside up, ${r.runs} runs`],
      ];
    }
    default: {
      const calls = result.calls ?? result.awsCalls ?? result.totalCalls;
      const scalars = Object.entries(result)
        .filter(([key, value]) => key !== 'bench' && ['number', 'string', 'boolean'].includes(typeof value))
        .map(([key, value]) => `${key}=${String(value)}`)
        .join(' ');
      return [[result.bench, `${num(result.wallMs)} ms wall, ${String(calls ?? '?')} calls`, scalars]];
    }
  }
}

function printTable(rows: Row[]): void {
  const header: Row = ['figure', 'value', 'against'];
  const widths = [0, 1, 2].map((i) => Math.max(...[header, ...rows].map((row) => row[i]!.length)));
  const line = (row: Row) => `| ${row.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
}

async function main(): Promise<void> {
  const only = readList('--only');
  const skip = readList('--skip') ?? [];
  const chosen = SCRIPTS.filter((s) => (only ? only.includes(s) : true) && !skip.includes(s));
  const outcomes: Outcome[] = [];
  for (const script of chosen) {
    if (!existsSync(join(repoRoot, 'bench', `${script}.ts`))) {
      outcomes.push({ script, wallMs: 0, missing: true, problem: `bench/${script}.ts is not written yet` });
      continue;
    }
    process.stderr.write(`--- bench/${script}.ts\n`);
    outcomes.push(await runScript(script));
  }
  const rows: Row[] = [];
  for (const outcome of outcomes) {
    if (outcome.result) rows.push(...describeResult(outcome.result));
    else rows.push([outcome.script, 'NOT MEASURED', outcome.problem ?? '']);
  }
  console.log('');
  printTable(rows);
  const failed = outcomes.filter((o) => !o.result && !o.missing);
  if (failed.length) {
    console.log(`\n${failed.length} bench script(s) produced no figure: ${failed.map((o) => o.script).join(', ')}`);
    process.exitCode = 1;
  }
}

await main();
