import { renderMarkdown } from './markdown.ts';
import { REPORT_SCHEMA_VERSION, type Report } from './schema.ts';

function report(status: Report['status']): Report {
  return {
    schema: 'sysbox-repro/report',
    schemaVersion: REPORT_SCHEMA_VERSION,
    runId: '20261203T200216Z-17be',
    status,
    startedAt: '2026-12-03T20:02:16.000Z',
    finishedAt: status === 'running' ? null : '2026-12-03T20:02:50.000Z',
    tool: { version: '0.1.0', node: '24.21.0' },
    host: null,
    options: {},
    scenarios: [],
    comparisons: [],
    outcome: 'ok',
    exitCode: 0,
  };
}

describe('renderMarkdown', () => {
  it('gives a finished run its outcome and exit code', () => {
    expect(renderMarkdown(report('completed'))).toContain(
      'Status **completed**, outcome **ok** (exit code 0).',
    );
  });

  it('claims no outcome for a run that never finished', () => {
    const text = renderMarkdown(report('running'));
    expect(text).toContain('Status **running**: no outcome yet.');
    expect(text).not.toContain('outcome **ok**');
  });
});
