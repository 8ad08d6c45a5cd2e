/**
 * A shipped template run end to end by the workflow runner (test/runner): pr-scale.yml dispatched with mode down,
 * against the sandbox. It needs the stand-in for aws-actions/configure-aws-credentials (test/runner/standins, built
 * in parallel); until that is registered the run fails at the job's set-up naming it, and so does this test.
 */
import { describe, expect, it, jest } from '@jest/globals';
import { createGitHubAdminClient } from '../standins/github/admin-client.js';
import { ensureSandbox } from '../sandbox/ensure.js';
import { createSandboxWorld } from '../runner/sandbox-world.js';
import type { RunRecord } from '../runner/run-result.js';

jest.setTimeout(180_000);

/** A run that did not succeed, as one line: the refusal or each failed job's and step's error. */
function describeFailure(run: RunRecord): string {
  const jobs = run.jobs
    .filter((job) => job.result !== 'success')
    .map((job) => `${job.id}: ${job.error ?? job.steps.find((s) => s.error)?.error ?? job.result}`);
  return [run.error, ...jobs].filter(Boolean).join('; ');
}

describe('pr-scale.yml through the workflow runner', () => {
  it('workflow_dispatch mode down: the scale job runs in preview, scales down, and GitHub records its Deployment', async () => {
    const endpoints = await ensureSandbox();
    const owner = 'runner-org';
    const name = `scale-${process.pid.toString(36)}${Date.now().toString(36).slice(-5)}`;
    const world = await createSandboxWorld(endpoints, { repository: { owner, name } });
    const handle = world.queue('.github/workflow-templates/pr-scale.yml', {
      name: 'workflow_dispatch',
      payload: { inputs: { mode: 'down' }, ref: 'refs/heads/main' },
    });
    await world.settle();
    const run = await handle.result;

    if (run.conclusion !== 'success') throw new Error(`pr-scale.yml did not succeed: ${describeFailure(run)}`);
    expect(run).toMatchObject({ status: 'completed', concurrencyGroup: 'preview-scale' });
    const [scale] = run.jobs;
    expect(scale).toMatchObject({ id: 'scale', result: 'success', environment: 'preview' });
    expect(scale!.permissions).toMatchObject({ 'id-token': 'write', contents: 'none', metadata: 'read' });
    expect(scale!.steps.map((s) => s.outcome)).toEqual(['success', 'success']);
    expect(scale!.steps[1]!.outputs.direction).toBe('down');

    const snapshot = await createGitHubAdminClient(endpoints.github.adminUrl).call('snapshot');
    const deployments = snapshot.deployments.filter((d) => d.repo === `${owner}/${name}`);
    expect(deployments.map((d) => d.environment)).toEqual(['preview']);
    const statuses = snapshot.deploymentStatuses
      .filter((s) => s.deploymentId === deployments[0]!.id)
      .map((s) => s.state);
    expect(statuses).toEqual(['in_progress', 'success']);
  });
});
