// classify-tag: start-to-exit time of the bundled action against `node -e 0` (aim: median ratio ≤ 2),
// the parser's time on 100 KB inputs, and which SDKs the bundle contains (none of AWS or Cloudflare).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tryParseTag } from '../packages/core/src/tags/parse-tag.js';
import { repoRoot } from '../test/harness/paths.js';

const runs = Number(process.env.BENCH_RUNS ?? 21);
const dir = mkdtempSync(join(tmpdir(), 'bench-classify-'));
writeFileSync(join(dir, 'event.json'), '{}');
writeFileSync(join(dir, 'output'), '');
writeFileSync(join(dir, 'summary'), '');
const env = {
  PATH: process.env.PATH,
  INPUT_TAG: 'v1.8.0-rc.3',
  INPUT_PREFIX: 'v',
  'INPUT_ENV-TAGS': 'rc=test,release=prod,snapshot=snapshot',
  'INPUT_REQUIRE-RC': 'true',
  'INPUT_REQUIRE-SAME-COMMIT': 'false',
  'INPUT_GITHUB-TOKEN': 'ghs_bench',
  GITHUB_OUTPUT: join(dir, 'output'),
  GITHUB_STEP_SUMMARY: join(dir, 'summary'),
  GITHUB_EVENT_PATH: join(dir, 'event.json'),
  GITHUB_REPOSITORY: 'octo-org/octo-repo',
};

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function time(args: string[]): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { env, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0)
    throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stdout}${result.stderr}`);
  return ms;
}

const entry = join(repoRoot, 'actions/classify-tag/dist/index.js');
const baseline: number[] = [];
const action: number[] = [];
for (let i = 0; i < runs; i++) {
  // Interleaved, so drift in machine load hits both series alike.
  baseline.push(time(['-e', '0']));
  action.push(time([entry]));
}

function parseTimeUs(input: string, repeat: number): number {
  const started = process.hrtime.bigint();
  for (let i = 0; i < repeat; i++) tryParseTag(input);
  return Number(process.hrtime.bigint() - started) / 1e3 / repeat;
}
const hostile = {
  '100 KB of digits after v1.2.': `v1.2.${'9'.repeat(100 * 1024)}`,
  '100 KB of "-rc" repeats': `v1.2.3${'-rc'.repeat(34 * 1024)}`,
  '100 KB of dots': '.'.repeat(100 * 1024),
  'a valid rc tag': 'v1.8.0-rc.3',
};

const distDir = join(repoRoot, 'actions/classify-tag/dist');
const bundle = readdirSync(distDir)
  .filter((f) => f.endsWith('.js'))
  .map((f) => readFileSync(join(distDir, f), 'utf8'))
  .join('\n');
const sdks = ['@aws-sdk', 'cloudflare'].filter(
  (name) => bundle.includes(`node_modules/${name}`) || bundle.includes(`"${name}/`),
);

console.log(`classify-tag cold start (${runs} interleaved runs)`);
console.log(`  node -e 0         median ${median(baseline).toFixed(1)} ms`);
console.log(`  dist/index.js     median ${median(action).toFixed(1)} ms`);
console.log(`  ratio             ${(median(action) / median(baseline)).toFixed(2)}x (aim ≤ 2x)`);
console.log('parser time per call');
for (const [name, input] of Object.entries(hostile))
  console.log(`  ${name.padEnd(28)} ${parseTimeUs(input, 200).toFixed(2)} µs`);
console.log(
  `bundle: ${(bundle.length / 1024).toFixed(0)} KiB of JavaScript; AWS/Cloudflare SDKs inside: ${sdks.length ? sdks.join(', ') : 'none'}`,
);
console.log(
  `bench-result ${JSON.stringify({
    bench: 'classify-tag',
    runs,
    baselineMs: Math.round(median(baseline) * 10) / 10,
    actionMs: Math.round(median(action) * 10) / 10,
    ratio: Math.round((median(action) / median(baseline)) * 100) / 100,
    parserUs: Object.fromEntries(
      Object.entries(hostile).map(([name, input]) => [name, Math.round(parseTimeUs(input, 50) * 100) / 100]),
    ),
    bundleKiB: Math.round(bundle.length / 1024),
    sdks,
  })}`,
);
