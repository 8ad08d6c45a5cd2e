import { describe, expect, it } from '@jest/globals';
import type { ServiceDiagnostics } from './collect-diagnostics.js';
import { renderDiagnosticsLog, renderDiagnosticsMarkdown } from './render-diagnostics.js';

const sample: ServiceDiagnostics = {
  service: 'api',
  events: [{ at: new Date('2026-01-01T00:00:05Z'), message: 'has <b>stopped</b> | 1 task\n::error::injected' }],
  stoppedTasks: [
    {
      taskArn: 'arn:aws:ecs:us-east-1:1:task/c1/abc123',
      stoppedAt: new Date('2026-01-01T00:00:06Z'),
      stopCode: 'EssentialContainerExited',
      stoppedReason: 'Essential container in task exited',
      containers: [{ name: 'app', exitCode: 1, reason: 'boom' }, { name: 'sidecar' }],
    },
  ],
};

const worker: ServiceDiagnostics = {
  service: 'worker',
  deployment: {
    arn: 'sd/1',
    status: 'ROLLBACK_IN_PROGRESS',
    statusReason: 'circuit breaker: tasks failed to start',
    rollbackReason: 'Circuit breaker initiated rollback',
    createdAt: new Date('2026-01-01T00:00:01Z'),
  },
  events: [{ at: new Date('2026-01-01T00:00:07Z'), message: 'unable to pull image' }],
  stoppedTasks: [],
};

describe('renderDiagnosticsMarkdown', () => {
  it('renders one table: deployment verdicts first, then events and stopped tasks newest first, escaped', () => {
    const md = renderDiagnosticsMarkdown([sample, worker]);
    const rows = md.split('\n').filter((line) => line.startsWith('| 2026'));

    expect(md.match(/\| Time \| Service \| Kind \| What \|/g)).toHaveLength(1);
    expect(rows).toEqual([
      '| 2026-01-01T00:00:01.000Z | worker | deployment | ROLLBACK\\_IN\\_PROGRESS: circuit breaker: tasks failed to start; rollback: Circuit breaker initiated rollback |',
      '| 2026-01-01T00:00:07.000Z | worker | event | unable to pull image |',
      '| 2026-01-01T00:00:06.000Z | api | stopped task | abc123: Essential container in task exited \\(EssentialContainerExited\\); app exit 1: boom |',
      '| 2026-01-01T00:00:05.000Z | api | event | has &lt;b&gt;stopped&lt;/b&gt; &#124; 1 task ::error::injected |',
    ]);
    expect(md).not.toContain('<b>');
  });

  it('says so when nothing was recorded, and shows a read error as a row', () => {
    expect(renderDiagnosticsMarkdown([{ service: 'w', events: [], stoppedTasks: [] }])).toContain(
      '_No deployment record, service events or stopped tasks were recorded._',
    );
    const md = renderDiagnosticsMarkdown([{ service: 'w', events: [], stoppedTasks: [], error: 'ListTasks: denied' }]);
    expect(md).toContain('| — | w | unreadable | ListTasks: denied |');
  });
});

describe('renderDiagnosticsLog', () => {
  it('gives the same rows as prefixed lines, with line breaks folded so no workflow command can start a line', () => {
    expect(renderDiagnosticsLog([sample])).toEqual([
      '[api] stopped task 2026-01-01T00:00:06.000Z: abc123: Essential container in task exited (EssentialContainerExited); app exit 1: boom',
      '[api] event 2026-01-01T00:00:05.000Z: has <b>stopped</b> | 1 task ::error::injected',
    ]);
    expect(renderDiagnosticsLog([{ service: 'w', events: [], stoppedTasks: [] }])).toEqual([
      '[w] no service events or stopped tasks were recorded',
    ]);
  });
});
