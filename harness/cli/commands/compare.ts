import { Command } from 'commander';
import { formatP, signed } from '../../analysis/compare-arms.ts';
import type { ReportComparison } from '../../analysis/compare-reports.ts';
import { exitCodeFor } from '../../errors/exit-codes.ts';

export function compareCommand(): Command {
  return new Command('compare')
    .description('compare two saved reports scenario by scenario (b against a)')
    .argument('<a>', 'report.json of the reference run')
    .argument('<b>', 'report.json of the run under test')
    .option('--force', 'compare reports from different hosts', false)
    .option('--json', 'print the comparison as JSON', false)
    .action(async (aFile: string, bFile: string, flags: { force: boolean; json: boolean }) => {
      // Loaded when the command runs, so other commands do not pay for the report schema.
      const { compareReports } = await import('../../analysis/compare-reports.ts');
      const { readReportFile } = await import('../../analysis/read-report.ts');
      const [a, b] = await Promise.all([readReportFile(aFile), readReportFile(bFile)]);
      const comparison = compareReports(a, b, { force: flags.force });

      process.stdout.write(
        flags.json ? `${JSON.stringify(comparison, null, 2)}\n` : formatComparison(comparison),
      );
      process.exitCode = exitCodeFor(comparison.outcome);
    });
}

const COLUMNS = [
  'scenario',
  'verdict a -> b',
  'median a',
  'median b',
  'diff',
  'CI',
  'p',
  'outcome',
];

export function formatComparison(comparison: ReportComparison): string {
  const lines: string[] = [];
  for (const d of comparison.hostDifferences) {
    lines.push(`host differs (forced): ${d.field}: ${d.a} vs ${d.b}`);
  }
  for (const d of comparison.sysboxDifferences) lines.push(`${d.field}: ${d.a} -> ${d.b}`);
  for (const d of comparison.settingDifferences) {
    lines.push(`run option differs: ${d.field}: ${d.a} vs ${d.b}`);
  }
  for (const r of comparison.incomplete) {
    lines.push(`report ${r.report} (${r.runId}) did not complete: status ${r.status}`);
  }
  if (lines.length > 0) lines.push('');

  const rows = comparison.scenarios.map((s) => {
    const stats = s.stats;
    const percent = (value: number | null | undefined) =>
      value === null || value === undefined ? '-' : `${value.toFixed(1)} %`;
    return [
      s.scenarioId,
      `${s.verdictA} -> ${s.verdictB}`,
      percent(stats?.medianA),
      percent(stats?.medianB),
      stats?.difference == null ? '-' : signed(stats.difference),
      stats?.ci ? `[${signed(stats.ci.low)}, ${signed(stats.ci.high)}]` : '-',
      stats?.p == null ? '-' : formatP(stats.p),
      s.outcome,
    ];
  });
  lines.push(...table([COLUMNS, ...rows]), '');

  for (const s of comparison.scenarios) {
    const basis = s.basis ? ` (${s.basis})` : '';
    lines.push(`${s.scenarioId}: ${s.outcome}${basis}: ${s.reason}`);
  }
  lines.push('', `outcome: ${comparison.outcome}`);
  return `${lines.join('\n')}\n`;
}

function table(rows: string[][]): string[] {
  const widths = (rows[0] ?? []).map((_, column) =>
    Math.max(...rows.map((row) => (row[column] ?? '').length)),
  );
  return rows.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd(),
  );
}
