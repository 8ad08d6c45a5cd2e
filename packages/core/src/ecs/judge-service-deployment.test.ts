import { describe, expect, it } from '@jest/globals';
import type { ServiceDeploymentStatus } from '@aws-sdk/client-ecs';
import { isDeploymentUnderway, isEcsRollingBack, judgeServiceDeployment } from './judge-service-deployment.js';

describe('judgeServiceDeployment', () => {
  it.each<[ServiceDeploymentStatus, 'stable' | 'pending' | 'failed', 'stable' | 'pending' | 'failed']>([
    ['PENDING', 'pending', 'pending'],
    ['IN_PROGRESS', 'pending', 'pending'],
    ['SUCCESSFUL', 'stable', 'failed'],
    ['STOPPED', 'failed', 'failed'],
    ['STOP_REQUESTED', 'failed', 'pending'],
    ['ROLLBACK_REQUESTED', 'failed', 'pending'],
    ['ROLLBACK_IN_PROGRESS', 'failed', 'pending'],
    ['ROLLBACK_SUCCESSFUL', 'failed', 'stable'],
    ['ROLLBACK_FAILED', 'failed', 'failed'],
  ])('%s is %s for a deployment and %s for a rollback', (status, deploy, rollback) => {
    expect(judgeServiceDeployment({ status }).state).toBe(deploy);
    expect(judgeServiceDeployment({ status }, 'rollback').state).toBe(rollback);
  });

  it('gives the status reason and the rollback reason once each, and the counts while under way', () => {
    expect(
      judgeServiceDeployment({
        status: 'ROLLBACK_SUCCESSFUL',
        statusReason: 'tasks failed to start',
        rollback: { reason: 'tasks failed to start' },
      }).reason,
    ).toBe('service deployment ROLLBACK_SUCCESSFUL (tasks failed to start)');
    expect(
      judgeServiceDeployment({
        status: 'IN_PROGRESS',
        targetServiceRevision: { requestedTaskCount: 3, runningTaskCount: 1, pendingTaskCount: 2 },
      }).reason,
    ).toBe('service deployment IN_PROGRESS: running 1/3, pending 2');
  });

  it('tells the rollback what to do with each status', () => {
    expect(['PENDING', 'IN_PROGRESS'].every(isDeploymentUnderway)).toBe(true);
    expect(isDeploymentUnderway('STOPPED')).toBe(false);
    expect(['ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS', 'ROLLBACK_SUCCESSFUL'].every(isEcsRollingBack)).toBe(true);
    expect(isEcsRollingBack('ROLLBACK_FAILED')).toBe(false);
  });
});
