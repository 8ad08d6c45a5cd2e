import { describe, expect, it } from '@jest/globals';
import { renderWaitOutcomesMarkdown } from './render-wait-outcomes.js';

describe('renderWaitOutcomesMarkdown', () => {
  it('renders a row per service and collapsed diagnostics for the ones that are not stable', () => {
    const md = renderWaitOutcomesMarkdown([
      {
        service: 'web',
        state: 'stable',
        judgedBy: 'primary-deployment',
        reason: 'deployment ecs-svc/1 COMPLETED',
        deploymentId: 'ecs-svc/1',
        elapsedMs: 1,
      },
      {
        service: 'worker',
        state: 'failed',
        judgedBy: 'primary-deployment',
        reason: 'deployment circuit breaker: tasks failed to start <now>',
        elapsedMs: 2,
        diagnostics: { service: 'worker', events: [{ message: 'could not pull image' }], stoppedTasks: [] },
      },
    ]);

    expect(md).toContain('| `web` | ✅ stable | `ecs-svc/1` | deployment ecs-svc/1 COMPLETED |');
    expect(md).toContain(
      '| `worker` | ❌ failed | — | deployment circuit breaker: tasks failed to start &lt;now&gt; |',
    );
    expect(md).toContain('<details><summary>Why worker is not stable</summary>');
    expect(md).toContain('| — | worker | event | could not pull image |');
    expect(md.match(/<details>/g)).toHaveLength(1);
  });

  it('shows the service deployment followed and any warning in the row', () => {
    const md = renderWaitOutcomesMarkdown([
      {
        service: 'web',
        state: 'stable',
        judgedBy: 'service-deployment',
        reason: 'service deployment SUCCESSFUL',
        serviceDeploymentArn: 'arn:aws:ecs:us-east-1:1:service-deployment/c1/web/abc123',
        warnings: ['the service revision records no image digest, so the running digest could not be verified'],
        elapsedMs: 1,
      },
    ]);
    expect(md).toContain(
      '| `web` | ✅ stable | `abc123` | service deployment SUCCESSFUL; ⚠️ the service revision records no image digest, so the running digest could not be verified |',
    );
  });
});
