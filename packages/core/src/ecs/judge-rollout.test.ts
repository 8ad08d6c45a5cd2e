import { describe, expect, it } from '@jest/globals';
import type { Deployment, Service } from '@aws-sdk/client-ecs';
import type { ServiceDescription } from './describe-services.js';
import { judgeRollout } from './judge-rollout.js';

const TD = 'arn:aws:ecs:us-east-1:1:task-definition/pr-1-api';

function deployment(over: Partial<Deployment> = {}): Deployment {
  return {
    id: 'ecs-svc/new',
    status: 'PRIMARY',
    taskDefinition: `${TD}:5`,
    desiredCount: 1,
    runningCount: 1,
    pendingCount: 0,
    rolloutState: 'COMPLETED',
    ...over,
  };
}

function described(
  deployments: Deployment[],
  over: Partial<Service> = {},
  status: ServiceDescription['status'] = 'ACTIVE',
): ServiceDescription {
  return {
    name: 'api',
    status,
    tags: {},
    service: { serviceName: 'api', status, desiredCount: 1, runningCount: 1, deployments, ...over },
  };
}

describe('judgeRollout', () => {
  it('calls our PRIMARY deployment with rolloutState COMPLETED stable', () => {
    expect(judgeRollout(described([deployment()]), 'ecs-svc/new')).toMatchObject({
      state: 'stable',
      deployment: { id: 'ecs-svc/new' },
    });
  });

  it('keeps waiting while the rollout is IN_PROGRESS and says how far it got', () => {
    const verdict = judgeRollout(
      described([deployment({ rolloutState: 'IN_PROGRESS', runningCount: 0, pendingCount: 1 })]),
      'ecs-svc/new',
    );
    expect(verdict.state).toBe('pending');
    expect(verdict.reason).toContain('running 0/1, pending 1');
  });

  it('fails on rolloutState FAILED (circuit breaker) with the ECS reason', () => {
    const verdict = judgeRollout(
      described([
        deployment({
          rolloutState: 'FAILED',
          rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.',
        }),
      ]),
      'ecs-svc/new',
    );
    expect(verdict).toMatchObject({ state: 'failed', reason: expect.stringContaining('tasks failed to start') });
  });

  it('fails when ECS rolled back: primary moved to an older task definition', () => {
    const verdict = judgeRollout(
      described([
        deployment({ id: 'ecs-svc/rollback', taskDefinition: `${TD}:4`, rolloutState: 'IN_PROGRESS' }),
        deployment({ status: 'ACTIVE', rolloutState: 'IN_PROGRESS' }),
      ]),
      'ecs-svc/new',
    );
    expect(verdict.state).toBe('failed');
    expect(verdict.reason).toMatch(/rolled back to an older task definition.*ecs-svc\/rollback/);
  });

  it('fails when a newer deployment replaced ours', () => {
    const verdict = judgeRollout(
      described([deployment({ id: 'ecs-svc/newer', taskDefinition: `${TD}:6` }), deployment({ status: 'ACTIVE' })]),
      'ecs-svc/new',
    );
    expect(verdict.state).toBe('failed');
    expect(verdict.reason).toContain('a newer deployment replaced it');
  });

  it('fails when our deployment is gone from the list', () => {
    const verdict = judgeRollout(described([deployment({ id: 'ecs-svc/other' })]), 'ecs-svc/new');
    expect(verdict.state).toBe('failed');
    expect(verdict.reason).toContain('ecs-svc/new is no longer primary');
    expect(verdict).toMatchObject({ unseen: true });
  });

  it('never calls a service with desired count 0 stable, even with rolloutState COMPLETED', () => {
    const verdict = judgeRollout(
      described([deployment({ desiredCount: 0, runningCount: 0 })], { desiredCount: 0, runningCount: 0 }),
      'ecs-svc/new',
    );
    expect(verdict).toMatchObject({ state: 'failed', reason: expect.stringContaining('desired count is 0') });
  });

  it('waits while the deployment itself has no desired tasks yet', () => {
    expect(judgeRollout(described([deployment({ desiredCount: 0, runningCount: 0 })]), 'ecs-svc/new').state).toBe(
      'pending',
    );
  });

  it('without a rollout state, is stable only as the only deployment with running equal to desired', () => {
    const plain = (over: Partial<Deployment>) => deployment({ rolloutState: undefined, ...over });
    expect(judgeRollout(described([plain({})]), 'ecs-svc/new').state).toBe('stable');
    expect(judgeRollout(described([plain({ runningCount: 0 })]), 'ecs-svc/new').state).toBe('pending');
    expect(
      judgeRollout(described([plain({}), plain({ id: 'ecs-svc/old', status: 'ACTIVE' })]), 'ecs-svc/new').state,
    ).toBe('pending');
    expect(judgeRollout(described([plain({})], { runningCount: 2, desiredCount: 1 }), 'ecs-svc/new').state).toBe(
      'pending',
    );
  });

  it('judges the PRIMARY deployment when no id is given', () => {
    expect(judgeRollout(described([deployment({ id: 'ecs-svc/any' })])).state).toBe('stable');
    expect(judgeRollout(described([deployment({ status: 'ACTIVE' })])).reason).toBe(
      'service has no PRIMARY deployment',
    );
  });

  it('fails for a service that is MISSING, INACTIVE or DRAINING', () => {
    expect(judgeRollout({ name: 'api', status: 'MISSING', tags: {} })).toMatchObject({
      state: 'failed',
      reason: 'service is MISSING',
      unseen: true,
    });
    expect(judgeRollout(described([deployment()], {}, 'INACTIVE'))).toMatchObject({
      state: 'failed',
      reason: 'service is INACTIVE',
      unseen: false,
    });
    expect(judgeRollout(described([deployment()], {}, 'DRAINING')).state).toBe('failed');
  });
});
