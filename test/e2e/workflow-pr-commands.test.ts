/**
 * pr-commands.yml end to end through the workflow runner, against the sandbox (issue_comment events): a
 * maintainer's /deploy deploys exactly the commit pr-command named, even when a push lands after the reply; a
 * read-only user's /deploy changes nothing; a plain or a bot comment never cancels a pending deploy; /extend,
 * /restart, /help and /cleanup answer, and /cleanup removes every resource kind.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { OciClient } from '@preview-actions/core/registry';
import type { RunRecord } from '../runner/run-result.js';
import type { RunHandle } from '../runner/world.js';
import { pushBehaviourImage } from '../sandbox/behaviour-image.js';
import { ensureSandbox } from '../sandbox/ensure.js';
import { expectPreviewGone } from './expect-preview-gone.js';
import type { SandboxEndpoints } from '../sandbox/endpoints.js';
import {
  commentRun,
  createPrScenario,
  describeFailure,
  expectRunSucceeded,
  jobResults,
  readPreview,
  readServiceImages,
  releasePrScenarios,
  writeRuntimeTraces,
  type PrScenario,
} from './workflow-pr-scenario.js';

jest.setTimeout(600_000);

const TEMPLATE = '.github/workflow-templates/pr-commands.yml';
const MAINTAINER = 'pr-scen-maintainer';
const READER = 'pr-scen-reader';
let sandbox: SandboxEndpoints;
let scenario: PrScenario;
/** sha → the digest of the image pushed as sha-<sha>. */
const digests = new Map<string, string>();

beforeAll(async () => {
  sandbox = await ensureSandbox();
  scenario = await createPrScenario(sandbox, { pr: 600 + Math.floor(Math.random() * 290) });
  await scenario.github.call('addCollaborator', { repo: scenario.fullName, login: MAINTAINER, role: 'maintain' });
  await scenario.github.call('addCollaborator', { repo: scenario.fullName, login: READER, role: 'read' });
  // what pr-environment.yml's build would have pushed for each commit (healthy images)
  const { basic } = sandbox.registries;
  const registry = {
    client: new OciClient({
      host: basic.directHost,
      credentials: { username: basic.username, password: basic.password },
      maskSecret: () => undefined,
    }),
    host: basic.host,
  };
  const repository = scenario.image.slice(basic.host.length + 1);
  for (const sha of scenario.consumer.commits.slice(1))
    digests.set(sha, (await pushBehaviourImage(registry, repository, `sha-${sha}`, 'healthy', { seed: sha })).digest);
});

afterAll(() => releasePrScenarios([scenario]));

/** The scenario's PR gets the comment; the issue_comment event GitHub would send for it. */
const comment = (author: string, body: string, authorType: 'User' | 'Bot' = 'User') =>
  commentRun(scenario, author, body, authorType);

/** The answers (comments) on the PR whose body matches. */
async function answers(pattern: RegExp): Promise<string[]> {
  return (await readPreview(scenario)).comments.filter((c) => pattern.test(c.body)).map((c) => c.body);
}

/** Waits for `moment` of a run, failing with the run's errors if the run ends first. */
async function orEnded(run: RunHandle, moment: Promise<void>): Promise<void> {
  const ended = run.result.then((record) => {
    throw new Error(`run ${record.id} ended first: ${describeFailure(record)}\n${record.log.slice(-30).join('\n')}`);
  });
  await Promise.race([moment, ended]);
}

function expectCommandOnly(run: RunRecord): void {
  expectRunSucceeded(run);
  const results = jobResults(run);
  expect(results.command).toBe('success');
  for (const [job, result] of Object.entries(results)) if (job !== 'command') expect(result).toBe('skipped');
}

describe('pr-commands.yml', () => {
  it('a read-only user’s /deploy changes nothing', async () => {
    const run = await scenario.world.queue(TEMPLATE, await comment(READER, '/deploy')).result;
    expectCommandOnly(run);
    expect(run.jobs[0]!.outputs.allowed).toBe('false');
    expect((await readPreview(scenario)).services).toEqual([]);
  });

  it('/deploy deploys the commit pr-command named, though a push lands after; comments never cancel a pending deploy', async () => {
    const [, first, second] = scenario.consumer.commits;
    const deploy = scenario.world.queue(TEMPLATE, await comment(MAINTAINER, '/deploy'));
    await orEnded(deploy, scenario.world.stepStarted(deploy, 'deploy', 'Run org/preview-actions/deploy-pr-env@v1'));
    // a push after the reply: the running deploy keeps the commit it named
    await scenario.github.call('pushCommits', { repo: scenario.fullName, number: scenario.pr, shas: [second!] });
    const pending = scenario.world.queue(TEMPLATE, await comment(MAINTAINER, '/deploy'));
    await scenario.world.admitted();
    // while that /deploy waits for the first: a person's plain comment and a bot's (in a workflow-level group
    // they would replace it as the group's pending run, cancelling it)
    const plain = scenario.world.queue(TEMPLATE, await comment(READER, 'Looks good to me'));
    const bot = scenario.world.queue(TEMPLATE, await comment('preview-bot[bot]', 'Coverage: 91%', 'Bot'));
    await orEnded(pending, scenario.world.jobQueued(pending, 'deploy'));
    const [deployRun, pendingRun, plainRun, botRun] = await Promise.all(
      [deploy, pending, plain, bot].map((h) => h.result),
    );
    expectRunSucceeded(deployRun!);
    expect(deployRun!.jobs.find((j) => j.id === 'command')!.outputs['head-sha']).toBe(first);
    // what the first deploy put in its services: the named commit's image, not the one pushed meanwhile
    const deployed = deployRun!.jobs.find((j) => j.id === 'deploy')!.steps.find((s) => s.id === 'deploy')!;
    expect(deployed.outputs.services).toContain(digests.get(first!));
    expect(deployed.outputs.services).not.toContain(digests.get(second!));
    expectRunSucceeded(pendingRun!);
    expect(jobResults(pendingRun!)).toMatchObject({ command: 'success', deploy: 'success' });
    expect(pendingRun!.jobs.find((j) => j.id === 'command')!.outputs['head-sha']).toBe(second);
    expectCommandOnly(plainRun!);
    expect(botRun!.status).toBe('completed');
    for (const job of botRun!.jobs) expect(['success', 'skipped']).toContain(job.result);
    const preview = await readPreview(scenario);
    // each deploy's Deployment on the commit it named, and nothing of GitHub's own for the environment
    expect(preview.deployments.map((d) => ({ environment: d.environment, sha: d.sha }))).toEqual([
      { environment: `pr-${scenario.pr}`, sha: first },
      { environment: `pr-${scenario.pr}`, sha: second },
    ]);
    // the later deploy's image is what runs now
    const image = `${scenario.image}@${digests.get(second!)}`;
    expect(await readServiceImages(scenario)).toEqual([image, image]);
  });

  it('/extend, /restart and /help answer on success', async () => {
    const extend = await scenario.world.queue(TEMPLATE, await comment(MAINTAINER, '/extend 2h')).result;
    expectRunSucceeded(extend);
    expect(jobResults(extend)).toMatchObject({ command: 'success', extend: 'success' });
    expect(await answers(/The preview now stays until \d{4}-/)).toHaveLength(1);
    const restart = await scenario.world.queue(TEMPLATE, await comment(MAINTAINER, '/restart')).result;
    expectRunSucceeded(restart);
    expect(jobResults(restart)).toMatchObject({ command: 'success', restart: 'success' });
    expect(await answers(/The preview was restarted/)).toHaveLength(1);
    const help = await scenario.world.queue(TEMPLATE, await comment(READER, '/help')).result;
    expectCommandOnly(help);
    expect(await answers(/\/deploy/)).not.toHaveLength(0);
  });

  it('/cleanup removes services, rules, target groups, DNS, log streams and Redis keys; /restart then fails, answering so', async () => {
    await writeRuntimeTraces(scenario);
    const cleanup = await scenario.world.queue(TEMPLATE, await comment(MAINTAINER, '/cleanup')).result;
    expectRunSucceeded(cleanup);
    expect(jobResults(cleanup)).toMatchObject({ command: 'success', cleanup: 'success' });
    await expectPreviewGone(scenario);
    // with the preview gone, /restart and /extend fail, and each says so
    const restart = await scenario.world.queue(TEMPLATE, await comment(MAINTAINER, '/restart')).result;
    expect(jobResults(restart)).toMatchObject({ command: 'success', restart: 'failure' });
    expect(await answers(/The restart did not finish/)).toHaveLength(1);
    const extend = await scenario.world.queue(TEMPLATE, await comment(MAINTAINER, '/extend 1h')).result;
    expect(jobResults(extend)).toMatchObject({ command: 'success', extend: 'failure' });
    expect(await answers(/could not be extended/)).toHaveLength(1);
  });
});
