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

describe('renderDiagnosticsMarkdown', () => {
  it('renders events and stopped tasks as tables with every AWS string escaped', () => {
    const md = renderDiagnosticsMarkdown([sample]);

    expect(md).toContain('#### Service `api`');
    const eventRow = md.split('\n').find((line) => line.startsWith('| 2026-01-01T00:00:05'));
    expect(eventRow).toContain('has &lt;b&gt;stopped&lt;/b&gt;');
    expect(eventRow).toContain('1 task ::error::injected |');
    expect(eventRow?.split('|')).toHaveLength(4);
    expect(md).toContain(
      '| abc123 | 2026-01-01T00:00:06.000Z | Essential container in task exited \\(EssentialContainerExited\\) | app exit 1: boom |',
    );
    expect(md).not.toContain('<b>');
  });

  it('says so when nothing was recorded, and shows a read error', () => {
    const md = renderDiagnosticsMarkdown([{ service: 'w', events: [], stoppedTasks: [], error: 'ListTasks: denied' }]);
    expect(md).toContain('_No service events or stopped tasks were recorded._');
    expect(md).toContain('_Some diagnostics could not be read: ListTasks: denied_');
  });
});

describe('renderDiagnosticsLog', () => {
  it('gives one prefixed line per fact, with line breaks folded so no workflow command can start a line', () => {
    expect(renderDiagnosticsLog([sample])).toEqual([
      '[api] event 2026-01-01T00:00:05.000Z: has <b>stopped</b> | 1 task ::error::injected',
      '[api] task abc123 stopped 2026-01-01T00:00:06.000Z: Essential container in task exited (EssentialContainerExited); app exit 1: boom',
    ]);
    expect(renderDiagnosticsLog([{ service: 'w', events: [], stoppedTasks: [] }])).toEqual([
      '[w] no service events or stopped tasks were recorded',
    ]);
  });
});
