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
});
