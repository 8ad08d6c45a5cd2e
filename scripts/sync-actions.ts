// Keeps what is derived from each actions/<name>/action.yml in step with it:
//   - the root stub <name>/action.yml, so `uses: org/preview-actions/<name>@v1` resolves;
//   - the inputs and outputs tables in actions/<name>/README.md;
//   - docs/preview-file.md, from the environment file's JSON Schema and docs/examples/.
// `--check` writes nothing and exits 1 on any drift (CI runs it that way).
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { parse, stringify } from 'yaml';
import { ENVIRONMENT_FILE_EXAMPLES } from './environment-file-examples.js';
import { renderEnvironmentFileReference } from './render-environment-file-reference.js';

const root = new URL('..', import.meta.url).pathname;
const check = process.argv.includes('--check');
const drift: string[] = [];

type Metadata = {
  inputs?: Record<string, { description?: string; required?: boolean; default?: string }>;
  outputs?: Record<string, { description?: string }>;
  runs: { using: string; main?: string; post?: string; steps?: unknown[] };
};

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function renderInputs(meta: Metadata): string {
  const rows = Object.entries(meta.inputs ?? {}).map(
    ([name, i]) =>
      `| \`${name}\` | ${i.required ? 'yes' : 'no'} | ${i.default === undefined || i.default === '' ? '' : `\`${cell(String(i.default))}\``} | ${cell(i.description ?? '')} |`,
  );
  return ['| Input | Required | Default | Description |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

function renderOutputs(meta: Metadata): string {
  const rows = Object.entries(meta.outputs ?? {}).map(([name, o]) => `| \`${name}\` | ${cell(o.description ?? '')} |`);
  return ['| Output | Description |', '| --- | --- |', ...rows].join('\n');
}

function replaceBlock(text: string, marker: string, body: string): string {
  const start = `<!-- ${marker}:start (generated from action.yml by pnpm sync-actions) -->`;
  const end = `<!-- ${marker}:end -->`;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < i) throw new Error(`README is missing the ${start} ... ${end} markers`);
  return `${text.slice(0, i + start.length)}\n${body}\n${text.slice(j)}`;
}

function renderStub(name: string, source: string): string {
  const meta = parse(source) as Metadata;
  if (meta.runs.using.startsWith('node')) {
    meta.runs = {
      ...meta.runs,
      main: `../actions/${name}/${meta.runs.main ?? 'dist/index.js'}`,
      // A post step (retag-promote's rollback after a cancel) is bundled beside main.
      ...(meta.runs.post && { post: `../actions/${name}/${meta.runs.post}` }),
    };
  }
  return `# Generated from actions/${name}/action.yml by \`pnpm sync-actions\`; edit that file instead.\n${stringify(meta, { lineWidth: 0 })}`;
}

// Formatted as Prettier would, so `pnpm lint` and `pnpm sync-actions --check` agree on every byte.
async function sync(path: string, generated: string): Promise<void> {
  const expected = await format(generated, { ...(await resolveConfig(path)), filepath: path });
  const current = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  if (current === expected) return;
  if (check) {
    drift.push(path.slice(root.length));
    return;
  }
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, expected);
  console.log(`updated ${path.slice(root.length)}`);
}

for (const name of readdirSync(join(root, 'actions')).sort()) {
  const metadataPath = join(root, 'actions', name, 'action.yml');
  if (!existsSync(metadataPath)) continue;
  const source = readFileSync(metadataPath, 'utf8');
  const meta = parse(source) as Metadata;
  await sync(join(root, name, 'action.yml'), renderStub(name, source));
  const readme = join(root, 'actions', name, 'README.md');
  if (!existsSync(readme)) {
    drift.push(`${readme.slice(root.length)} (missing: write it with the inputs/outputs markers)`);
    continue;
  }
  const text = readFileSync(readme, 'utf8');
  await sync(readme, replaceBlock(replaceBlock(text, 'inputs', renderInputs(meta)), 'outputs', renderOutputs(meta)));
}

const examples = ENVIRONMENT_FILE_EXAMPLES.map((e) => ({ ...e, text: readFileSync(join(root, e.path), 'utf8') }));
await sync(join(root, 'docs', 'preview-file.md'), renderEnvironmentFileReference(examples));

if (drift.length > 0) {
  console.error(`Out of date with action.yml (run 'pnpm sync-actions' and commit):\n  ${drift.join('\n  ')}`);
  process.exit(1);
}
