/**
 * pr-environment.yml end to end through the workflow runner, against the sandbox: a pull request's life cycle
 * (opened → preview built from the consumer repository and deployed; synchronize → the same environment, the new
 * commit's image; closed → every resource kind gone), a fork's pull request (no preview, no secret, no role), and
 * who may assume the preview role.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { pullRequestEvent } from '../harness/events.js';
import { closeIamProxies } from '../runner/iam/iam-proxy.js';
import { useConsumerRepo } from '../runner/standins/actions-checkout.js';
import { listRoleAssumptions } from '../runner/standins/aws-actions-configure-aws-credentials.js';
import { destroySandboxAwsClients } from '../sandbox/aws-clients.js';
import { ensureSandbox } from '../sandbox/ensure.js';
import type { SandboxEndpoints } from '../sandbox/endpoints.js';
import {
  createPrScenario,
  expectRunSucceeded,
  jobResults,
  readActiveTaskDefinitions,
  readPreview,
  readServiceImages,
  writeRuntimeTraces,
  type PrScenario,
} from './workflow-pr-scenario.js';

jest.setTimeout(600_000);

const TEMPLATE = '.github/workflow-templates/pr-environment.yml';
let sandbox: SandboxEndpoints;
const scenarios: PrScenario[] = [];

beforeAll(async () => {
  sandbox = await ensureSandbox();
});

afterAll(async () => {
  useConsumerRepo(undefined);
  for (const s of scenarios) destroySandboxAwsClients(s.aws);
  await closeIamProxies();
});

/** The pull_request event GitHub sends for the scenario's PR at `headSha`. */
function pullRequest(
  scenario: PrScenario,
  action: 'opened' | 'synchronize' | 'closed',
  headSha: string,
  headRepository?: string,
) {
  const event = pullRequestEvent(action, {
    repository: scenario.fullName,
    number: scenario.pr,
    headSha,
    ...(headRepository ? { headRepository } : {}),
  });
  return { name: 'pull_request', payload: event.payload as unknown as Record<string, unknown>, sha: headSha };
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
    expect(preview.deployments).toEqual([{ environment: `pr-${scenario.pr}`, sha: head, states: expect.arrayContaining(['success']) }]);
    for (const image of await readServiceImages(scenario)) expect(image).toContain(`${scenario.image}:sha-${head}`);
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
    for (const image of await readServiceImages(scenario)) expect(image).toContain(`${scenario.image}:sha-${head}`);
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
    const preview = await readPreview(scenario);
    expect({ ...preview, deployments: undefined, comments: undefined }).toEqual({
      services: [],
      rules: 0,
      targetGroups: [],
      records: [],
      logStreams: [],
      redisKeys: [],
      deployments: undefined,
      comments: undefined,
    });
    expect(await readActiveTaskDefinitions(scenario)).toEqual([]);
    for (const deployment of preview.deployments) expect(deployment.states.at(-1)).toBe('inactive');
  });
});
