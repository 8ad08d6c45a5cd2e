/**
 * pr-environment.yml end to end through the workflow runner, against the sandbox: a pull request's life cycle
 * (opened → preview built from the consumer repository and deployed; synchronize → the same environment, the new
 * commit's image; closed → every resource kind gone), a fork's pull request (no preview, no secret, no role), and
 * who may assume the preview role.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { parse } from 'yaml';
import { repoRoot } from '../harness/paths.js';
import { listRoleAssumptions } from '../runner/standins/aws-actions-configure-aws-credentials.js';
import { exampleJobFacts } from '../runner/standins/example-job.js';
import { StandinJob } from '../runner/standins/standin-job.js';
import type { RunRecord } from '../runner/run-result.js';
import { ensureSandbox } from '../sandbox/ensure.js';
import { expectPreviewGone } from './expect-preview-gone.js';
import type { SandboxEndpoints } from '../sandbox/endpoints.js';
import {
  createPrScenario,
  expectRunSucceeded,
  jobResults,
  pullRequestRun as pullRequest,
  readActiveTaskDefinitions,
  readPreview,
  readServiceImages,
  releasePrScenarios,
  writeRuntimeTraces,
  type PrScenario,
} from './workflow-pr-scenario.js';

jest.setTimeout(600_000);

const TEMPLATE = '.github/workflow-templates/pr-environment.yml';
const PREVIEW_ROLE = 'arn:aws:iam::123456789012:role/preview-actions-preview';
let sandbox: SandboxEndpoints;
const scenarios: PrScenario[] = [];

beforeAll(async () => {
  sandbox = await ensureSandbox();
});

afterAll(() => releasePrScenarios(scenarios));

/** The digest the build-push stand-in pushed `tag` under, from its log line ("pushed <image>:<tag>@sha256:…"). */
function pushedDigest(run: RunRecord, image: string, tag: string): string {
  const prefix = `pushed ${image}:${tag}@`;
  const line = run.log.find((l) => l.includes(prefix));
  if (!line) throw new Error(`run ${run.id} pushed no ${image}:${tag}`);
  return line.slice(line.indexOf(prefix) + prefix.length).trim();
}

describe('pr-environment.yml: a pull request from opened to closed', () => {
  let scenario: PrScenario;

  beforeAll(async () => {
    scenario = await createPrScenario(sandbox, { pr: 300 + Math.floor(Math.random() * 300) });
    scenarios.push(scenario);
  });

  it('opened: builds the head commit, deploys it, records one Deployment on it and comments the URLs', async () => {
    const head = scenario.consumer.commits[1]!;
    const run = await scenario.world.queue(TEMPLATE, pullRequest(scenario, 'opened', head)).result;
    expectRunSucceeded(run);
    expect(jobResults(run)).toEqual({ deploy: 'success', cleanup: 'skipped' });
    const preview = await readPreview(scenario);
    expect(preview.services.map((s) => s.name).sort()).toEqual([`pr-${scenario.pr}-api`, `pr-${scenario.pr}-worker`]);
    expect(preview.records).toEqual([`pr-${scenario.pr}.${sandbox.cloudflare.zoneName}`]);
    expect(preview.rules).toBeGreaterThan(0);
    // deploy-pr-env's own Deployment, on the head commit; none of GitHub's beside it (deployment: false)
    expect(preview.deployments).toEqual([
      { environment: `pr-${scenario.pr}`, sha: head, states: expect.arrayContaining(['success']) },
    ]);
    // both services run exactly the image built for the head commit, pushed under pr-N and sha-<head> alike
    const digest = pushedDigest(run, scenario.image, `sha-${head}`);
    expect(pushedDigest(run, scenario.image, `pr-${scenario.pr}`)).toBe(digest);
    expect(await readServiceImages(scenario)).toEqual([`${scenario.image}@${digest}`, `${scenario.image}@${digest}`]);
    const sticky = preview.comments.filter((c) => c.body.includes(`pr-${scenario.pr}.${sandbox.cloudflare.zoneName}`));
    expect(sticky).toHaveLength(1);
  });

  it('synchronize: the same environment, updated in place to the new commit’s image', async () => {
    const head = scenario.consumer.commits[2]!;
    await scenario.github.call('pushCommits', { repo: scenario.fullName, number: scenario.pr, shas: [head] });
    const run = await scenario.world.queue(TEMPLATE, pullRequest(scenario, 'synchronize', head)).result;
    expectRunSucceeded(run);
    const preview = await readPreview(scenario);
    expect(preview.services.map((s) => s.name).sort()).toEqual([`pr-${scenario.pr}-api`, `pr-${scenario.pr}-worker`]);
    const digest = pushedDigest(run, scenario.image, `sha-${head}`);
    expect(await readServiceImages(scenario)).toEqual([`${scenario.image}@${digest}`, `${scenario.image}@${digest}`]);
    expect(preview.deployments.map((d) => d.sha)).toEqual([scenario.consumer.commits[1], head]);
    // still one sticky comment, edited in place
    expect(preview.comments.filter((c) => c.body.includes(`pr-${scenario.pr}.`))).toHaveLength(1);
  });

  it('closed: services, rules, target groups, task definitions, DNS, log streams, Redis keys gone; Deployments inactive', async () => {
    await writeRuntimeTraces(scenario);
    await scenario.github.call('closePullRequest', { repo: scenario.fullName, number: scenario.pr });
    const run = await scenario.world.queue(TEMPLATE, pullRequest(scenario, 'closed', scenario.consumer.commits[2]!))
      .result;
    expectRunSucceeded(run);
    expect(jobResults(run)).toEqual({ deploy: 'skipped', cleanup: 'success' });
    await expectPreviewGone(scenario);
    expect(await readActiveTaskDefinitions(scenario)).toEqual([]);
  });
});

describe('pr-environment.yml: a fork’s pull request', () => {
  it('gets no preview: the deploy job is skipped, no OIDC token is minted, no secret is read', async () => {
    const scenario = await createPrScenario(sandbox, { pr: 300 + Math.floor(Math.random() * 300) });
    scenarios.push(scenario);
    const before = listRoleAssumptions().length;
    const head = scenario.consumer.commits[1]!;
    const run = await scenario.world.queue(TEMPLATE, pullRequest(scenario, 'opened', head, 'outsider/fork')).result;
    // every job skipped: the run concludes skipped, as GitHub shows it
    expect(run).toMatchObject({ status: 'completed', conclusion: 'skipped' });
    expect(jobResults(run)).toEqual({ deploy: 'skipped', cleanup: 'skipped' });
    expect(run.jobs.every((job) => job.steps.length === 0)).toBe(true);
    expect(listRoleAssumptions().slice(before)).toEqual([]);
    expect(run.log.join('\n')).not.toContain(sandbox.cloudflare.apiToken);
    const preview = await readPreview(scenario);
    expect({ services: preview.services, deployments: preview.deployments }).toEqual({ services: [], deployments: [] });
  });
});

describe('who may assume the preview role, per job of pr-environment.yml and pr-commands.yml', () => {
  // every job of the two templates that configures AWS credentials, and the environment it declares
  const jobs = [
    ['pr-environment.yml', 'deploy', 'pull_request'],
    ['pr-environment.yml', 'cleanup', 'pull_request'],
    ['pr-commands.yml', 'deploy', 'issue_comment'],
    ['pr-commands.yml', 'extend', 'issue_comment'],
    ['pr-commands.yml', 'restart', 'issue_comment'],
    ['pr-commands.yml', 'cleanup', 'issue_comment'],
  ] as const;

  async function assume(workflow: string, jobId: string, eventName: string, environment?: string) {
    const job = new StandinJob(
      exampleJobFacts({
        workflowFile: `.github/workflows/${workflow}`,
        jobId,
        eventName,
        ref: eventName === 'pull_request' ? 'refs/pull/7/merge' : 'refs/heads/main',
        repository: 'octo-org/octo-repo',
        ...(environment ? { environment } : {}),
      }),
      { ...sandbox.env, RUNNER_TEMP: mkdtempSync(join(tmpdir(), 'pr-roles-')) },
      mkdtempSync(join(tmpdir(), 'pr-roles-ws-')),
    );
    return job.step('aws-actions/configure-aws-credentials', {
      'role-to-assume': PREVIEW_ROLE,
      'aws-region': 'us-east-1',
    });
  }

  it.each(jobs)(
    '%s %s: the preview environment’s subject is trusted; the bare event’s is not',
    async (workflow, jobId, event) => {
      const template = parse(readFileSync(join(repoRoot, '.github/workflow-templates', workflow), 'utf8')) as {
        jobs: Record<string, { environment?: { name?: string } | string; steps: { uses?: string }[] }>;
      };
      const body = template.jobs[jobId]!;
      expect(body.steps.some((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'))).toBe(true);
      const environment = typeof body.environment === 'string' ? body.environment : body.environment?.name;
      expect(environment).toBe('preview');
      expect((await assume(workflow, jobId, event, environment)).outcome).toBe('success');
      // the same job without its environment presents repo:…:pull_request (or the branch ref): refused
      expect((await assume(workflow, jobId, event)).outcome).toBe('failure');
      const last = listRoleAssumptions().at(-1)!;
      expect(last).toMatchObject({ roleArn: PREVIEW_ROLE, allowed: false });
    },
  );

  it('pr-commands.yml’s command job, which reads the comment, requests no OIDC token at all', () => {
    const template = parse(readFileSync(join(repoRoot, '.github/workflow-templates/pr-commands.yml'), 'utf8')) as {
      jobs: Record<string, { permissions?: Record<string, string> }>;
    };
    expect(template.jobs.command!.permissions?.['id-token']).toBeUndefined();
  });
});
