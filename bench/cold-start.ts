/**
 * Cold start of every bundled action against `node -e 0`: each dist/index.js is spawned as the runner would,
 * with action.yml defaults filled in and the fewest inputs that either succeed without network or stop at
 * input validation (a missing required input), so the time is module load + input checks, never a network
 * wait. Also the bundle size per action. Run: npx tsx bench/cold-start.ts [runs]   (default 11)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inputVariable, readInputDefaults, type GitHubExpressionContext } from '../test/harness/index.js';
import { repoRoot } from '../test/harness/paths.js';

const runs = Number(process.argv[2] ?? process.env.BENCH_RUNS ?? 11);
if (!Number.isInteger(runs) || runs < 1 || runs > 200) throw new Error('runs must be a whole number from 1 to 200');

/** Inputs beyond the defaults; classify-tag succeeds offline, the others stop at validation. */
const EXTRA_INPUTS: Record<string, Record<string, string>> = {
  'classify-tag': { tag: 'v1.8.0-rc.3', 'require-same-commit': 'false' },
};

// A port nothing listens on: an action that reached for the network would fail at once, and be reported.
const UNREACHABLE = 'http://127.0.0.1:9';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function listBundledActions(): string[] {
  return readdirSync(join(repoRoot, 'actions'))
    .filter((name) => existsSync(join(repoRoot, 'actions', name, 'dist', 'index.js')))
    .sort();
}

function readBundleBytes(action: string): number {
  const dist = join(repoRoot, 'actions', action, 'dist');
  return readdirSync(dist)
    .filter((file) => file.endsWith('.js'))
    .reduce((sum, file) => sum + statSync(join(dist, file)).size, 0);
}

function createEnv(action: string, dir: string): Record<string, string> {
  const github: GitHubExpressionContext = {
    ref_name: 'main',
    ref: 'refs/heads/main',
    sha: '0123456789abcdef0123456789abcdef01234567',
    token: 'ghs_bench',
    repository: 'octo-org/octo-repo',
    repository_owner: 'octo-org',
    actor: 'octocat',
    run_id: '1',
    run_attempt: '1',
    server_url: 'https://github.com',
    api_url: UNREACHABLE,
    event_name: 'workflow_dispatch',
    event: {},
  };
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary'),
    GITHUB_EVENT_PATH: join(dir, 'event.json'),
    GITHUB_EVENT_NAME: 'workflow_dispatch',
    GITHUB_REPOSITORY: github.repository,
    GITHUB_API_URL: UNREACHABLE,
    GITHUB_WORKSPACE: dir,
    RUNNER_TEMP: dir,
    AWS_ENDPOINT_URL: UNREACHABLE,
    AWS_REGION: 'us-east-1',
    AWS_MAX_ATTEMPTS: '1',
    CLOUDFLARE_BASE_URL: UNREACHABLE,
  };
  for (const [name, value] of Object.entries(readInputDefaults(action, { github }))) env[inputVariable(name)] = value;
  for (const [name, value] of Object.entries(EXTRA_INPUTS[action] ?? {})) env[inputVariable(name)] = value;
  return env;
}

function time(args: string[], env: Record<string, string>, dir: string) {
  writeFileSync(join(dir, 'output'), '');
  writeFileSync(join(dir, 'summary'), '');
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { env, encoding: 'utf8', timeout: 30_000 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const error = /^::error::(.*)$/m.exec(result.stdout)?.[1];
  return { ms, status: result.status, error };
}

interface ColdStart {
  action: string;
  medianMs: number;
  baselineMs: number;
  ratio: number;
  exit: number | null;
  stoppedAt: string;
  bundleKiB: number;
}

const dir = mkdtempSync(join(tmpdir(), 'bench-cold-'));
writeFileSync(join(dir, 'event.json'), '{}');
const results: ColdStart[] = [];
try {
  for (const action of listBundledActions()) {
    const env = createEnv(action, dir);
    const entry = join(repoRoot, 'actions', action, 'dist', 'index.js');
    const baseline: number[] = [];
    const timed: number[] = [];
    let last = { status: 0 as number | null, error: undefined as string | undefined };
    for (let i = 0; i < runs; i++) {
      // Interleaved, so drift in machine load hits both series alike.
      baseline.push(time(['-e', '0'], env, dir).ms);
      const run = time([entry], env, dir);
      timed.push(run.ms);
      last = run;
    }
    if (last.error && /ECONNREFUSED|fetch failed|127\.0\.0\.1:9/.test(last.error)) {
      throw new Error(`${action} reached for the network in the cold-start run; give it inputs that stop earlier`);
    }
    const result: ColdStart = {
      action,
      medianMs: Math.round(median(timed) * 10) / 10,
      baselineMs: Math.round(median(baseline) * 10) / 10,
      ratio: Math.round((median(timed) / median(baseline)) * 100) / 100,
      exit: last.status,
      stoppedAt: last.status === 0 ? 'success' : 'input validation',
      bundleKiB: Math.round(readBundleBytes(action) / 1024),
    };
    results.push(result);
    console.log(
      `${action.padEnd(18)} ${String(result.medianMs).padStart(7)} ms vs node -e 0 ${String(result.baselineMs).padStart(6)} ms = ${result.ratio.toFixed(2)}x; exit ${result.exit} (${result.stoppedAt}); bundle ${result.bundleKiB} KiB`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`bench-result ${JSON.stringify({ bench: 'cold-start', runs, actions: results })}`);
