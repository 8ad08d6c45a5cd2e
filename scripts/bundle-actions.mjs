// Compiles core and every JavaScript action with tsc, then bundles each action's entrypoint
// (actions/<name>/lib/index.js) into a committed dist/ with @vercel/ncc, as the runner loads it.
// Composite actions (no tsconfig.json) have nothing to build.
import { readdirSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import ncc from '@vercel/ncc';

const root = new URL('..', import.meta.url).pathname;
const only = process.argv.slice(2);
const names = readdirSync(join(root, 'actions')).filter(
  (name) => existsSync(join(root, 'actions', name, 'tsconfig.json')) && (only.length === 0 || only.includes(name)),
);
execFileSync(join(root, 'node_modules/.bin/tsc'), ['-b', 'packages/core', ...names.map((n) => `actions/${n}`)], {
  cwd: root,
  stdio: 'inherit',
});
// One at a time, from the action's folder: ncc reads the tsconfig.json of the working directory,
// and the action's own (unlike the root one) has no paths, so core is bundled from its compiled lib/
// rather than type-checked again from source for every action.
for (const name of names) {
  {
    const dir = join(root, 'actions', name);
    process.chdir(dir);
    const { code, assets } = await ncc(join(dir, 'lib', 'index.js'), {
      minify: false,
      sourceMap: false,
      quiet: true,
      target: 'es2022',
      license: 'licenses.txt',
    });
    const dist = join(dir, 'dist');
    rmSync(dist, { recursive: true, force: true });
    mkdirSync(dist, { recursive: true });
    writeFileSync(join(dist, 'index.js'), code);
    for (const [file, asset] of Object.entries(assets)) {
      // Declarations of the compiled workspace packages are not needed at run time.
      if (/\.d\.ts(\.map)?$/.test(file)) continue;
      mkdirSync(join(dist, file, '..'), { recursive: true });
      writeFileSync(join(dist, file), asset.source);
    }
    console.log(`bundled ${name}: ${(code.length / 1024).toFixed(0)} KiB`);
  }
}
