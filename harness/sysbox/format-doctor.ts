import type { DoctorReport } from './doctor.ts';

const MARK = { ok: 'ok', warn: 'WARN', fail: 'FAIL', absent: 'absent' } as const;

/** The report as a readable table: one row per check, fixes under the row they belong to. */
export function formatDoctorReport(report: DoctorReport): string {
  const nameWidth = Math.max(...report.checks.map((check) => check.name.length), 5);
  const lines = [`sysbox-repro doctor (runtime ${report.runtime})`, ''];
  for (const check of report.checks) {
    const status = MARK[check.status].padEnd(6);
    lines.push(`  ${status} ${check.name.padEnd(nameWidth)}  ${check.detail}`);
    if (check.fix) lines.push(`  ${' '.repeat(6)} ${' '.repeat(nameWidth)}  fix: ${check.fix}`);
  }
  lines.push('');
  lines.push(
    report.ready
      ? `ready: a run with ${report.runtime} can proceed`
      : `not ready: a run with ${report.runtime} cannot proceed (fix the FAIL rows above)`,
  );
  return `${lines.join('\n')}\n`;
}
