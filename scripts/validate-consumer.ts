// pnpm validate [--repo <dir>] [--file <path>]: checks a user's own repository the way the actions would, without
// the sandbox, AWS or a GitHub token:
//   - each environment file deploy-pr-env would read (--file, else every `environment-file` its steps pass, else
//     .github/preview.yml) with the parser the action uses, so the messages are the action's own; and the
//     task-definition template it names;
//   - each workflow in .github/workflows with lint-workflows' checks: actionlint, shellcheck over bash `run:`
//     scripts (skipped with a note when not installed), our actions' inputs and outputs, and the environment of
//     each job of ours that assumes the preview or release role.
// Exits 1 on any finding.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import { isConfigurationError } from '../packages/core/src/action/errors.js';
import { DEFAULT_ENVIRONMENT_FILE } from '../packages/core/src/preview/environment-config.js';
import { parseEnvironmentFile } from '../packages/core/src/preview/parse-environment-file.js';
import { parseTaskDefinitionTemplate } from '../packages/core/src/preview/task-definition-template.js';
import { findings as workflowFindings, lintOptions, lintWorkflow, notes } from './lint-workflows.js';

/** What a validation found. */
export interface ValidationReport {
  /** Files checked, repository-relative. */
  checked: string[];
  /** Problems, each `<file>: <problem>` (an environment file's problems as the action prints them). */
  findings: string[];
  /** Checks skipped and why. */
  notes: string[];
}

type Workflow = { jobs?: Record<string, { steps?: { uses?: string; with?: Record<string, unknown> }[] }> };

/** The environment files deploy-pr-env steps in these workflows read (literal values only). */
function readEnvironmentFilesUsed(workflows: { text: string }[]): { files: string[]; deploys: boolean } {
  const files = new Set<string>();
  let deploys = false;
  for (const { text } of workflows) {
    let doc: Workflow;
    try {
      doc = parse(text) as Workflow;
    } catch {
      continue; // actionlint reports it.
    }
    for (const job of Object.values(doc?.jobs ?? {}))
      for (const step of job.steps ?? []) {
        if (!/(?:^\.\/|\/preview-actions\/)deploy-pr-env(?:@|$)/.test(step.uses ?? '')) continue;
        deploys = true;
        const file = step.with?.['environment-file'];
        files.add(typeof file === 'string' && !file.includes('${{') ? file : DEFAULT_ENVIRONMENT_FILE);
      }
  }
  return { files: [...files], deploys };
}

function checkEnvironmentFile(repo: string, path: string, report: ValidationReport): void {
  const full = isAbsolute(path) ? path : join(repo, path);
  const name = isAbsolute(path) ? relative(repo, path) || path : path;
  if (!existsSync(full)) {
    report.findings.push(
      `${name}: not found; deploy-pr-env reads it (commit it, or set environment-file to where it is)`,
    );
    return;
  }
  report.checked.push(name);
  try {
    const config = parseEnvironmentFile(readFileSync(full, 'utf8'), name);
    const template = config.taskDefinitionTemplate;
    if (template) {
      if (!existsSync(join(repo, template))) {
        report.findings.push(`${name}: task-definition-template ${template} does not exist in the repository`);
        return;
      }
      report.checked.push(template);
      parseTaskDefinitionTemplate(readFileSync(join(repo, template), 'utf8'), template);
    }
  } catch (error) {
    if (!isConfigurationError(error)) throw error;
    report.findings.push((error as Error).message);
  }
}

/** Validates the repository at `repo` (see the file header). */
export async function validateConsumer(options: { repo: string; file?: string }): Promise<ValidationReport> {
  const repo = resolve(options.repo);
  const report: ValidationReport = { checked: [], findings: [], notes: [] };
  const dir = join(repo, '.github', 'workflows');
  const workflows = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => /\.ya?ml$/.test(f))
        .sort()
        .map((f) => ({ where: `.github/workflows/${f}`, text: readFileSync(join(dir, f), 'utf8') }))
    : [];

  const used = readEnvironmentFilesUsed(workflows);
  if (options.file) checkEnvironmentFile(repo, options.file, report);
  else if (used.deploys) for (const file of used.files) checkEnvironmentFile(repo, file, report);
  else if (existsSync(join(repo, DEFAULT_ENVIRONMENT_FILE)))
    checkEnvironmentFile(repo, DEFAULT_ENVIRONMENT_FILE, report);
  else
    report.notes.push(
      `no ${DEFAULT_ENVIRONMENT_FILE} and no workflow uses deploy-pr-env: no environment file to check`,
    );

  if (workflows.length === 0) report.notes.push('no .github/workflows/*.yml: no workflow to check');
  Object.assign(lintOptions, { shellcheckOptional: true, ourJobsOnly: true });
  workflowFindings.length = 0;
  notes.length = 0;
  for (const { where, text } of workflows) {
    report.checked.push(where);
    await lintWorkflow(text, where);
  }
  report.findings.push(...workflowFindings);
  report.notes.push(...notes);
  return report;
}

function readArgs(argv: string[]): { repo: string; file?: string } {
  const args: { repo: string; file?: string } = { repo: '.' };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    const value = argv[i + 1];
    if ((arg === '--repo' || arg === '--file') && value !== undefined) {
      args[arg === '--repo' ? 'repo' : 'file'] = value;
      i += 1;
    } else if (arg === '--help' || arg === '-h') {
      console.log('usage: pnpm validate [--repo <your repository>] [--file <environment file>]');
      process.exit(0);
    } else {
      console.error(`validate: unknown argument '${arg}'; usage: pnpm validate [--repo <dir>] [--file <path>]`);
      process.exit(2);
    }
  }
  if (!existsSync(args.repo)) {
    console.error(`validate: --repo ${args.repo} does not exist`);
    process.exit(2);
  }
  return args;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = readArgs(process.argv.slice(2));
  const report = await validateConsumer(args);
  for (const note of report.notes) console.log(`note: ${note}`);
  if (report.findings.length > 0) {
    console.error(`validate: ${report.findings.length} finding(s) in ${resolve(args.repo)}`);
    for (const finding of report.findings) console.error(`  ${finding.replace(/\n/g, '\n    ')}`);
    process.exit(1);
  }
  console.log(`validate: ${report.checked.length} file(s), no findings: ${report.checked.join(', ')}`);
}
