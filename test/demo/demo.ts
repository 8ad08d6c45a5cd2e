/**
 * `pnpm demo`: the story of a repository that adopted the shipped templates, told by the events it sees. Each
 * event runs the template GitHub would run (.github/workflow-templates/*.yml) through the workflow runner
 * (test/runner) against the local sandbox, and the demo prints the run's jobs and steps and what changed. The pull
 * request's page (sticky comment, command replies, reactions, check runs, Deployments) is rendered from the GitHub
 * stand-in while the PR is open (closing removes the sticky comment), in the terminal and as .sandbox/demo/pr-<N>.html.
 *
 *   pnpm demo [--part pr|release]
 *
 * Colour only on a terminal (NO_COLOR / FORCE_COLOR honoured); piped to a file the output is plain text.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { closeIamProxies } from '../runner/iam/iam-proxy.js';
import { useConsumerRepo } from '../runner/standins/actions-checkout.js';
import { formatRunTable } from '../runner/format-run-table.js';
import type { QueuedEvent } from '../runner/event-trigger.js';
import type { RunRecord } from '../runner/run-result.js';
import type { World } from '../runner/world.js';
import { destroySandboxAwsClients } from '../sandbox/aws-clients.js';
import { ensureSandbox } from '../sandbox/ensure.js';
import type { SandboxEndpoints } from '../sandbox/endpoints.js';
import { sandboxDir } from '../sandbox/paths.js';
import { createReleaseScenario, SERVICES } from '../e2e/release-scenario.js';
import {
  commentRun,
  createPrScenario,
  describeFailure,
  pullRequestRun,
  readPreview,
} from '../e2e/workflow-pr-scenario.js';
import { listRunAnnotations } from './list-run-annotations.js';
import { renderPullRequestHtml } from './render-pull-request-html.js';
import { renderPullRequestPage, type GitHubSnapshot } from './render-pull-request-page.js';
import { createStyles, renderColumns, renderMarkdownForTerminal, shouldUseColour } from './render-terminal.js';

const TEMPLATES = '.github/workflow-templates';
const colour = shouldUseColour();
const style = createStyles(colour);
const overview: string[][] = [];
const startedAll = performance.now();

/** One event of the story: what GitHub would run for it, and what the demo expects of the run. */
interface DemoEvent {
  title: string;
  template: string;
  world: World;
  event: QueuedEvent;
  /** Each job's expected result; the demo stops, showing the run, on any other. */
  jobs: Record<string, string>;
  /** Annotations a user of the template as shipped sees too, each with why; any other one stops the demo. */
  expectedAnnotations?: { pattern: RegExp; why: string }[];
  /** Facts read back from the sandbox after the run, one line each. */
  facts?: (run: RunRecord) => Promise<string[]>;
}

function indent(text: string, by = '  '): string {
  return text.replace(/^(?=.)/gm, by);
}

async function runEvent(demo: DemoEvent): Promise<RunRecord> {
  console.log(`\n${style.bold(`▶ ${demo.title}`)}`);
  console.log(style.dim(`  ${demo.event.name} → ${demo.template}`));
  const started = performance.now();
  const handle = demo.world.queue(join(TEMPLATES, demo.template), demo.event);
  await demo.world.settle();
  const run = await handle.result;
  const seconds = `${((performance.now() - started) / 1000).toFixed(1)} s`;
  console.log(`  run: ${run.status}, ${run.conclusion ?? '–'}${run.reason ? ` (${run.reason})` : ''}`);
  if (run.jobs.length > 0) console.log(indent(formatRunTable(run)));
  let unexpected = 0;
  for (const a of listRunAnnotations(run)) {
    const expected = demo.expectedAnnotations?.find((e) => e.pattern.test(a.message));
    if (!expected) unexpected += 1;
    console.log(`  ${a.level} in ${a.where}: ${a.message}`);
    console.log(expected ? style.dim(`    (expected: ${expected.why})`) : '    (NOT expected)');
  }
  const results = Object.fromEntries(run.jobs.map((job) => [job.id, job.result]));
  const ok = JSON.stringify(results) === JSON.stringify(demo.jobs) && unexpected === 0;
  overview.push([demo.title, demo.template, run.conclusion ?? run.status, ok ? 'as expected' : 'UNEXPECTED', seconds]);
  if (!ok) {
    console.error(run.log.slice(-60).join('\n'));
    throw new Error(
      `demo event '${demo.title}': jobs ${JSON.stringify(results)}, expected ${JSON.stringify(demo.jobs)}` +
        `${unexpected ? `, ${unexpected} unexpected annotation(s)` : ''}; ${describeFailure(run)}`,
    );
  }
  for (const fact of (await demo.facts?.(run)) ?? []) console.log(`  ✓ ${fact}`);
  return run;
}

/** Prints the pull request's page from the GitHub stand-in and writes it as .sandbox/demo/pr-<N>.html. */
function showPullRequestPage(snapshot: GitHubSnapshot, repo: string, number: number): string {
  const markdown = renderPullRequestPage(snapshot, repo, number);
  const dir = join(sandboxDir, 'demo');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `pr-${number}.html`);
  writeFileSync(file, renderPullRequestHtml(markdown, `${repo}#${number}`));
  console.log(`\n${style.bold(`The page of ${repo}#${number}, as GitHub shows it`)}\n`);
  console.log(indent(renderMarkdownForTerminal(markdown, colour)));
  console.log(`\n  The same page as HTML: ${relative(process.cwd(), file) || file} (open it in a browser)`);
  return file;
}

/** Part one: a pull request's life, through pr-environment.yml and pr-commands.yml. */
async function tellPullRequest(sandbox: SandboxEndpoints): Promise<void> {
  console.log(`\n${style.bold('Part one: a pull request gets its own environment')}`);
  const maintainer = 'octo-maintainer';
  const stranger = 'drive-by-stranger';
  const s = await createPrScenario(sandbox, { pr: 900 + Math.floor(Math.random() * 99), author: 'octo-dev' });
  try {
    await s.github.call('addCollaborator', { repo: s.fullName, login: maintainer, role: 'maintain' });
    // read is what everyone has on a public repository: a stranger, as far as /deploy is concerned
    await s.github.call('addCollaborator', { repo: s.fullName, login: stranger, role: 'read' });
    const head = s.consumer.commits[1]!;
    const host = `pr-${s.pr}.${sandbox.cloudflare.zoneName}`;
    const previewFacts = async () => {
      const preview = await readPreview(s);
      return [
        `ECS services ${preview.services.map((x) => x.name).join(', ')}; DNS ${preview.records.join(', ') || 'none'}; ${preview.rules} listener rule(s)`,
      ];
    };
    await runEvent({
      title: `PR #${s.pr} opened by @octo-dev`,
      template: 'pr-environment.yml',
      world: s.world,
      event: pullRequestRun(s, 'opened', head),
      jobs: { deploy: 'success', cleanup: 'skipped' },
      facts: async () => [`preview at https://${host}`, ...(await previewFacts())],
    });
    await runEvent({
      title: `@${maintainer} comments /deploy: redeploys the head commit`,
      template: 'pr-commands.yml',
      world: s.world,
      event: await commentRun(s, maintainer, '/deploy'),
      jobs: { command: 'success', deploy: 'success', extend: 'skipped', restart: 'skipped', cleanup: 'skipped' },
      facts: previewFacts,
    });
    await runEvent({
      title: `@${stranger} (read access, as anyone on a public repository) comments /deploy: refused`,
      template: 'pr-commands.yml',
      world: s.world,
      event: await commentRun(s, stranger, '/deploy'),
      jobs: { command: 'success', deploy: 'skipped', extend: 'skipped', restart: 'skipped', cleanup: 'skipped' },
      facts: async (run) => [`pr-command answered allowed=${run.jobs[0]!.outputs.allowed}; nothing was deployed`],
    });
    // the page while the PR is open: what reviewers see (closing removes the sticky comment)
    showPullRequestPage(await s.github.call('snapshot'), s.fullName, s.pr);
    await s.github.call('closePullRequest', { repo: s.fullName, number: s.pr });
    await runEvent({
      title: `PR #${s.pr} closed: its environment is torn down`,
      template: 'pr-environment.yml',
      world: s.world,
      event: pullRequestRun(s, 'closed', head),
      jobs: { deploy: 'skipped', cleanup: 'success' },
      expectedAnnotations: [
        {
          pattern: /^Could not delete environment pr-\d+ \(HTTP 403\)/,
          why:
            'the template runs cleanup-stale with the job’s GITHUB_TOKEN, and GitHub lets no GITHUB_TOKEN delete an environment; ' +
            'the emptied pr-N environment stays until a token with Administration: write (cleanup-stale’s github-token) deletes it',
        },
      ],
      facts: async () => {
        const preview = await readPreview(s);
        const left = preview.services.length + preview.records.length + preview.rules + preview.targetGroups.length;
        const states = preview.deployments.map((d) => d.states.at(-1));
        const sticky = preview.comments.filter((c) => c.body.includes(host)).length;
        return [
          `${left} service(s), DNS record(s), listener rule(s) or target group(s) of #${s.pr} left`,
          `Deployments now ${[...new Set(states)].join(', ')}; sticky comment ${sticky ? 'still there' : 'removed'}`,
        ];
      },
    });
  } finally {
    useConsumerRepo(undefined);
    destroySandboxAwsClients(s.aws);
  }
}

/** Part two: build once, promote the same bytes, through release.yml and deploy-form.yml. */
async function tellRelease(sandbox: SandboxEndpoints): Promise<void> {
  console.log(`\n${style.bold('Part two: build once, promote the same bytes')}`);
  const s = await createReleaseScenario(sandbox, 'demo', {
    commits: [{ message: 'release 0.9' }, { message: 'release 1.0' }],
    tags: { 'v0.9.0': 1, 'v1.0.0-rc.1': 2, 'v1.0.0': 2 },
  });
  try {
    const old = await s.pushVersion('v0.9.0');
    const digests = async (tag: string) =>
      Object.fromEntries(await Promise.all(SERVICES.map(async (x) => [x, await s.digestOf(x, tag)] as const)));
    const running = async (environment: 'test' | 'prod') =>
      Object.fromEntries(
        await Promise.all(SERVICES.map(async (x) => [x, await s.runningDigest(environment, x)] as const)),
      );
    const short = (digest: string | undefined) => (digest ? digest.slice(0, 19) : 'none');
    const describeRunning = async (environment: 'test' | 'prod', tag: string) => {
      const want = await digests(tag);
      const now = await running(environment);
      return SERVICES.map(
        (x) =>
          `${x}-${environment} runs ${short(now[x])} (${now[x] === want[x] ? `= ${tag}` : `NOT ${tag}: ${short(want[x])}`})`,
      );
    };
    /** What `envTag` and the services of that environment run, against the digests of `version`. */
    const tagged = (version: string, envTag: 'test' | 'prod') => async () => {
      const built = await digests(version);
      const moved = await digests(envTag);
      return [
        ...SERVICES.map(
          (x) =>
            `${x}: :${envTag} = ${short(moved[x])} (${moved[x] === built[x] ? `the ${version} image` : `NOT ${version}`})`,
        ),
        ...(await describeRunning(envTag, version)),
      ];
    };
    const push = (tag: string) => ({ name: 'push', payload: { ref: `refs/tags/${tag}`, after: s.repo.tags[tag] } });
    await runEvent({
      title: 'Tag v1.0.0-rc.1 pushed: each service is built once and deployed to test',
      template: 'release.yml',
      world: await s.world(),
      event: push('v1.0.0-rc.1'),
      jobs: { candidate: 'success', plan: 'skipped', release: 'skipped' },
      facts: tagged('v1.0.0-rc.1', 'test'),
    });
    const final = await runEvent({
      title: 'Tag v1.0.0 pushed and approved in production: the RC’s bytes are promoted and ECS redeployed',
      template: 'release.yml',
      world: await s.world({ environments: { production: 'approve' } }),
      event: push('v1.0.0'),
      jobs: { candidate: 'skipped', plan: 'success', release: 'success' },
      // the final tag builds nothing: :prod and the prod services get the RC's own digests
      facts: tagged('v1.0.0-rc.1', 'prod'),
    });
    // the approval screen: the plan job's summary ends with what the reviewer approves
    const plan = final.jobs.find((j) => j.id === 'plan')?.summary ?? '';
    const approval = plan.slice(Math.max(0, plan.lastIndexOf('\n## ') + 1)).trim();
    if (approval) {
      console.log(
        `\n  ${style.bold('What the production reviewer approved (the plan job’s summary, last section):')}\n`,
      );
      console.log(indent(renderMarkdownForTerminal(approval, colour), '    '));
    }
    await runEvent({
      title: 'Deploy form: production back to v0.9.0 (approved), a rollback by choosing a version',
      template: 'deploy-form.yml',
      world: await s.world({ environments: { production: 'approve' } }),
      event: {
        name: 'workflow_dispatch',
        payload: { inputs: { environment: 'prod', version: 'v0.9.0' }, ref: 'refs/heads/main' },
      },
      jobs: { dev: 'skipped', test: 'skipped', production: 'success' },
      facts: async () => {
        const now = await running('prod');
        return SERVICES.map(
          (x) => `${x}-prod runs ${short(now[x])} (${now[x] === old[x] ? '= v0.9.0' : 'NOT v0.9.0'})`,
        );
      },
    });
  } finally {
    useConsumerRepo(undefined);
    await s.destroy();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { part: { type: 'string' } } });
  const part = values.part;
  if (part !== undefined && part !== 'pr' && part !== 'release')
    throw new Error(`--part takes pr or release, got '${part}'`);
  console.log(style.bold('preview-actions demo: what a repository using the shipped templates sees, event by event'));
  console.log(
    'Starting the sandbox (registries, AWS emulator, GitHub and Cloudflare stand-ins) if it is not running...',
  );
  const sandbox = await ensureSandbox();
  try {
    if (part !== 'release') await tellPullRequest(sandbox);
    if (part !== 'pr') await tellRelease(sandbox);
  } finally {
    await closeIamProxies();
  }
  console.log(`\n${style.bold('What happened')}\n`);
  console.log(renderColumns(['Event', 'Template', 'Run', 'Result', 'Time'], overview));
  console.log(
    `\nDemo finished in ${((performance.now() - startedAll) / 1000).toFixed(1)} s. The sandbox keeps running; stop it with: pnpm sandbox down`,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
