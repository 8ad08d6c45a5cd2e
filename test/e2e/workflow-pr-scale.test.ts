/**
 * A shipped template run end to end by the workflow runner (test/runner): pr-scale.yml dispatched with mode down,
 * then mode up, against the sandbox. scale-schedule scales every preview in its cluster, whoever's, so the run
 * gets a throwaway cluster of its own (PREVIEW_CLUSTER, and the documented roles re-bound to it, as
 * release-scenario does) and never touches another suite's previews in the shared one.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { CreateServiceCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { describeServicesBatched, listServiceArns, toEcsTags } from '@preview-actions/core/ecs';
import { createOwnershipTags } from '@preview-actions/core/preview';
import { createGitHubAdminClient } from '../standins/github/admin-client.js';
import { ensureSandbox } from '../sandbox/ensure.js';
import type { SandboxEndpoints } from '../sandbox/endpoints.js';
import { createSandboxAwsClients, destroySandboxAwsClients, type SandboxAwsClients } from '../sandbox/aws-clients.js';
import { createThrowawayCluster, deleteClusterWithInstance } from '../sandbox/seed-aws.js';
import { closeIamProxies } from '../runner/iam/iam-proxy.js';
import { registerDocumentedRoles, resetRoleBindings } from '../runner/iam/sandbox-roles.js';
import { createSandboxWorld } from '../runner/sandbox-world.js';
import type { RunRecord } from '../runner/run-result.js';
import { describeFailure } from './release-scenario.js';

jest.setTimeout(180_000);

/** The full counts the previews are deployed with; the template's profile is api=1,admin=0,celery-*=0. */
const FULL = { api: 3, admin: 1, 'celery-default': 2 };
const REDUCED = { api: 1, admin: 0, 'celery-default': 0 };

describe('pr-scale.yml through the workflow runner', () => {
  const suffix = `${process.pid.toString(36)}${Date.now().toString(36).slice(-5)}`;
  const owner = 'runner-org';
  const name = `scale-${suffix}`;
  const prs = [11, 12];
  let sandbox: SandboxEndpoints;
  let aws: SandboxAwsClients;
  let cluster: Awaited<ReturnType<typeof createThrowawayCluster>>;

  beforeAll(async () => {
    sandbox = await ensureSandbox();
    aws = createSandboxAwsClients(sandbox.aws.directUrl);
    cluster = await createThrowawayCluster(aws, sandbox.seeded, `scale-${suffix}`);
    registerDocumentedRoles({ PREVIEW_CLUSTER: cluster.name });
    for (const pr of prs) {
      for (const [service, count] of Object.entries(FULL)) {
        const tags = toEcsTags(createOwnershipTags({ repo: `${owner}/${name}`, pr, service, deployedAt: new Date() }));
        const td = await aws.ecs.send(
          new RegisterTaskDefinitionCommand({
            family: `scale-${suffix}-pr-${pr}-${service}`,
            cpu: '256',
            memory: '512',
            containerDefinitions: [{ name: service, image: 'nginx', memory: 512 }],
          }),
        );
        await aws.ecs.send(
          new CreateServiceCommand({
            cluster: cluster.name,
            serviceName: `pr-${pr}-${service}`,
            taskDefinition: td.taskDefinition?.taskDefinitionArn,
            desiredCount: count,
            tags,
          }),
        );
      }
    }
  });

  afterAll(async () => {
    resetRoleBindings();
    await closeIamProxies();
    if (cluster) await deleteClusterWithInstance(aws, cluster);
    if (aws) destroySandboxAwsClients(aws);
  });

  /** Each preview service's desired count in the throwaway cluster, by name. */
  async function readCounts(): Promise<Record<string, number | undefined>> {
    const arns = await listServiceArns(aws.ecs, cluster.name);
    const described = await describeServicesBatched(aws.ecs, cluster.name, arns);
    return Object.fromEntries(described.map((s) => [s.name, s.service?.desiredCount]));
  }

  const expected = (counts: Record<string, number>) =>
    Object.fromEntries(prs.flatMap((pr) => Object.entries(counts).map(([s, n]) => [`pr-${pr}-${s}`, n])));

  async function dispatch(mode: 'down' | 'up'): Promise<RunRecord> {
    const world = await createSandboxWorld(sandbox, {
      repository: { owner, name },
      vars: { PREVIEW_CLUSTER: cluster.name },
    });
    const handle = world.queue('.github/workflow-templates/pr-scale.yml', {
      name: 'workflow_dispatch',
      payload: { inputs: { mode }, ref: 'refs/heads/main' },
    });
    await world.settle();
    const run = await handle.result;
    if (run.conclusion !== 'success') throw new Error(`pr-scale.yml did not succeed: ${describeFailure(run)}`);
    return run;
  }

  it('workflow_dispatch mode down: the scale job runs in preview, scales down, and GitHub records its Deployment', async () => {
    expect(await readCounts()).toEqual(expected(FULL));
    const run = await dispatch('down');
    expect(run).toMatchObject({ status: 'completed', concurrencyGroup: 'preview-scale' });
    const [scale] = run.jobs;
    expect(scale).toMatchObject({ id: 'scale', result: 'success', environment: 'preview' });
    expect(scale!.permissions).toMatchObject({ 'id-token': 'write', contents: 'none', metadata: 'read' });
    expect(scale!.steps.map((s) => s.outcome)).toEqual(['success', 'success']);
    expect(scale!.steps[1]!.outputs.direction).toBe('down');
    expect(await readCounts()).toEqual(expected(REDUCED));

    const snapshot = await createGitHubAdminClient(sandbox.github.adminUrl).call('snapshot');
    const deployments = snapshot.deployments.filter((d) => d.repo === `${owner}/${name}`);
    expect(deployments.map((d) => d.environment)).toEqual(['preview']);
    const statuses = snapshot.deploymentStatuses
      .filter((s) => s.deploymentId === deployments[0]!.id)
      .map((s) => s.state);
    expect(statuses).toEqual(['in_progress', 'success']);
  });

  it('then mode up restores the exact counts each service had before going down', async () => {
    const run = await dispatch('up');
    expect(run.jobs[0]!.steps[1]!.outputs.direction).toBe('up');
    const changed = JSON.parse(run.jobs[0]!.steps[1]!.outputs.changed ?? '[]') as { service: string; to: number }[];
    expect(changed).toHaveLength(Object.keys(FULL).length * prs.length);
    expect(await readCounts()).toEqual(expected(FULL));
  });
});
