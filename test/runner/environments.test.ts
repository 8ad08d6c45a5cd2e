import { describe, expect, it } from '@jest/globals';
import { push, runFixture } from './fixtures/run-fixture.js';

describe('environments', () => {
  it('runs approved and unprotected environments, fails a rejected one without running its steps', async () => {
    const { run, deployments } = await runFixture('environments.yml', push(), {
      environments: { production: 'approve', staging: 'reject' },
      vars: { ROLE: 'repo-role' },
      environmentVars: { production: { ROLE: 'production-role' } },
    });
    const [production, staging, quiet] = run.jobs;
    expect(production).toMatchObject({ result: 'success', environment: 'production', deploymentId: 1 });
    expect(run.log).toContain('[production/Run echo "role=${{ vars.ROLE }}"] role=production-role');
    expect(staging).toMatchObject({ result: 'failure', environment: 'staging', steps: [] });
    expect(staging!.error).toMatch(/rejected/);
    expect(quiet).toMatchObject({ result: 'success', environment: 'preview' });
    expect(quiet!.deploymentId).toBeUndefined();
    // GitHub's own Deployment per environment job, none for deployment: false.
    expect(deployments).toEqual([
      expect.objectContaining({ environment: 'production', statuses: ['in_progress', 'success'] }),
      expect.objectContaining({ environment: 'staging', statuses: ['failure'] }),
    ]);
  });

  it('records the evaluated environment url on the final deployment status', async () => {
    const { deployments } = await runFixture('environments.yml', push(), { environments: { staging: 'approve' } });
    expect(deployments.find((d) => d.environment === 'staging')).toMatchObject({
      statuses: ['in_progress', 'success'],
      url: 'https://staging.example.com',
    });
  });
});
