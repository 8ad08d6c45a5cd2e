// Compiles core and every JavaScript action with tsc, then bundles each action's entrypoint
// (actions/<name>/lib/index.js) into a committed dist/ with @vercel/ncc, as the runner loads it.
// Composite actions (no tsconfig.json) have nothing to build.
//
//   node scripts/bundle-actions.mjs [--no-cache] [action...]
//
// Each action is bundled in its own node process: a crash of the bundler (CI once saw node die with
// SIGSEGV inside this step) then names the action, is retried once, and never takes the other bundles
// with it. --no-cache bypasses ncc's webpack cache, so check-dist proves what the sources produce today.
import { readdirSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const script = fileURLToPath(import.meta.url);
const args = process.argv.slice(2);

if (args[0] === '--bundle-one') {
  await bundleOne(args[1], args[2] === 'cache');
} else {
  await bundleAll(
    args.filter((a) => !a.startsWith('--')),
    !args.includes('--no-cache'),
  );
}

async function bundleAll(only, cache) {
  const unknown = only.filter((name) => !existsSync(join(root, 'actions', name, 'tsconfig.json')));
  if (unknown.length > 0) {
    console.error(`bundle-actions: no JavaScript action named ${unknown.join(', ')} under actions/`);
    process.exit(2);
  }
  const names = readdirSync(join(root, 'actions')).filter(
    (name) => existsSync(join(root, 'actions', name, 'tsconfig.json')) && (only.length === 0 || only.includes(name)),
  );
  execFileSync(join(root, 'node_modules/.bin/tsc'), ['-b', 'packages/core', ...names.map((n) => `actions/${n}`)], {
    cwd: root,
    stdio: 'inherit',
  });
  const queue = [...names];
  const workers = Array.from({ length: Math.min(2, availableParallelism(), names.length) }, async () => {
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) await bundleWithRetry(name, cache);
  });
  await Promise.all(workers);
}

async function bundleWithRetry(name, cache) {
  for (let attempt = 1; ; attempt += 1) {
    const { code, signal } = await runChild(name, cache);
    if (code === 0) return;
    if (signal && attempt === 1) {
      console.error(`bundle-actions: the bundler process for ${name} died with ${signal}; retrying it once`);
      continue;
    }
    const how = signal ? `died with ${signal} twice` : `exited with code ${code}`;
    console.error(`bundle-actions: bundling ${name} failed (${how}); see the output above`);
    process.exit(1);
  }
}

function runChild(name, cache) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, '--bundle-one', name, cache ? 'cache' : 'no-cache'], {
      cwd: join(root, 'actions', name),
      stdio: 'inherit',
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
}

// Runs from the action's folder: ncc reads the tsconfig.json of the working directory, and the
// action's own (unlike the root one) has no paths, so core is bundled from its compiled lib/ rather
// than type-checked again from source for every action.
async function bundleOne(name, cache) {
  const dir = join(root, 'actions', name);
  const dist = join(dir, 'dist');
  rmSync(dist, { recursive: true, force: true });
  await bundleEntry(name, join(dir, 'lib', 'index.js'), dist, cache);
  // A post entry (runs.post, e.g. retag-promote's rollback after a cancel) gets its own folder: ncc
  // names its chunks after the output file, so two bundles in one folder could overwrite each other's.
  if (existsSync(join(dir, 'lib', 'post.js'))) {
    await bundleEntry(`${name} (post)`, join(dir, 'lib', 'post.js'), join(dist, 'post'), cache);
  }
}

async function bundleEntry(label, entry, dist, cache) {
  const { default: ncc } = await import('@vercel/ncc');
  const { code, assets } = await ncc(entry, {
    minify: false,
    sourceMap: false,
    quiet: true,
    target: 'es2022',
    license: 'licenses.txt',
    ...(cache ? {} : { cache: false }),
  });
  mkdirSync(dist, { recursive: true });
  writeFileSync(join(dist, 'index.js'), code);
  for (const [file, asset] of Object.entries(assets)) {
    // Declarations of the compiled workspace packages are not needed at run time.
    if (/\.d\.ts(\.map)?$/.test(file)) continue;
    mkdirSync(join(dist, file, '..'), { recursive: true });
    writeFileSync(join(dist, file), asset.source);
  }
  console.log(`bundled ${label}: ${(code.length / 1024).toFixed(0)} KiB`);
}
