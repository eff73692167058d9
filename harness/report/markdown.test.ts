import { renderMarkdown } from './markdown.ts';
import {
  REPORT_SCHEMA_VERSION,
  type Report,
  type ScenarioResult,
  type WindowStats,
} from './schema.ts';

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

  it('says why a failed run stopped before any scenario had a result', () => {
    const failed: Report = {
      ...report('failed'),
      outcome: 'bad-input',
      exitCode: 2,
      error: { kind: 'bad-input', message: 'target "sleep" matches several processes' },
    };
    expect(renderMarkdown(failed)).toContain(
      'Status **failed**, outcome **bad-input** (exit code 2). The run stopped: target "sleep" ' +
        'matches several processes',
    );
  });

  it('names a --target as reasons do, not as JSON', () => {
    const text = renderMarkdown({
      ...report('completed'),
      options: { target: { kind: 'pid', pid: 42 } },
    });
    expect(text).toContain('Target of every scenario: pid 42 (--target).');
  });

  it('claims no outcome for a run that never finished', () => {
    const text = renderMarkdown(report('running'));
    expect(text).toContain('Status **running**: no outcome yet.');
    expect(text).not.toContain('outcome **ok**');
  });

  it('says why a window has no figure instead of calling every gap absent', () => {
    const window = (phase: WindowStats['phase'], missing: Partial<WindowStats>): WindowStats => ({
      phase,
      startMs: 0,
      endMs: 100,
      samples: 0,
      restarts: 0,
      gaps: 0,
      medianPercent: null,
      meanPercent: null,
      p95Percent: null,
      cpuSeconds: null,
      ...missing,
    });
    const result: ScenarioResult = {
      scenarioId: 'runc-trixie-control',
      file: 'scenarios/runc-trixie-control.ts',
      scenario: { title: 'control' },
      status: 'completed',
      phases: [],
      windows: [
        window('probe', { absentSamples: 0, ambiguousSamples: 0 }),
        window('baseline', { absentSamples: 3, ambiguousSamples: 0 }),
        window('measure', { absentSamples: 1, ambiguousSamples: 2 }),
        window('recovery', {}),
      ],
      findings: [],
      expectation: {
        result: 'inconclusive',
        sysboxVersion: null,
        range: null,
        expected: null,
        observed: null,
        reason: 'no verdict',
      },
    };
    const rows = renderMarkdown({ ...report('completed'), scenarios: [result] })
      .split('\n')
      .filter((line) => /^\| (probe|baseline|measure|recovery) \|/.test(line));

    expect(rows).toEqual([
      '| probe | 0.1 | 0 | no interval | no interval | no interval | no interval | 0 |',
      '| baseline | 0.1 | 0 | absent | absent | absent | absent | 0 |',
      '| measure | 0.1 | 0 | ambiguous | ambiguous | ambiguous | ambiguous | 0 |',
      '| recovery | 0.1 | 0 | no figure | no figure | no figure | no figure | 0 |',
    ]);
  });
});
