import type { LogAnalysis } from './aggregate.ts';
import type { StormPeriod } from './storms.ts';
import type { UnitChangeEvent } from './unit-changes.ts';

const BEHAVIOUR = {
  'pre-fix': 'pre-fix: "Ignoring unmount" lines (fake success, Sysbox <= 0.6.4)',
  'post-fix': 'post-fix: "Rejected unmount" lines (EINVAL, Sysbox >= 0.6.5)',
  mixed: 'mixed: both "Ignoring" and "Rejected" lines (Sysbox changed within the log?)',
  unknown: 'not shown: no "Ignoring" or "Rejected" lines',
} as const;

/** A readable summary of an offline analysis. */
export function formatLogAnalysis(source: string, analysis: LogAnalysis): string {
  const { totals, garbage } = analysis;
  const lines = [
    `sysbox-fs log analysis of ${source}`,
    '',
    `  lines         ${analysis.lines} (${analysis.formats.text} logrus text, ` +
      `${analysis.formats.json} JSON, ${analysis.kinds.stdlog} Go log/FUSE, ` +
      `${analysis.formats.journalPrefixed} with journal prefix)`,
    ...otherJournalLines(analysis.kinds['journal-other']),
    `  garbage       ${garbage.count}${analysis.partialLastLine ? ' (last line cut off)' : ''}`,
    `  span          ${analysis.firstTime ?? '-'} .. ${analysis.lastTime ?? '-'}`,
    ...outOfOrder(analysis.outOfOrderLines),
    `  levels        ${formatLevels(analysis.levels)}`,
    `  umount calls  ${totals.umountCalls} trapped, ${totals.ignored} ignored, ` +
      `${totals.rejected} rejected`,
    `  behaviour     ${BEHAVIOUR[analysis.behaviour]}`,
  ];
  if (!analysis.debugLines) {
    lines.push(
      '                no debug lines: at info level a pre-fix storm logs nothing about ' +
        'unmounts; CPU is the signal there',
    );
  }
  for (const startup of analysis.startups) {
    const version = startup.version ? ` (version ${startup.version})` : '';
    lines.push(`  start-up      ${startup.time} ${printable(startup.message)}${version}`);
  }
  for (const change of analysis.unitChanges) lines.push(unitChange(change, analysis.storms));
  lines.push('', storms(analysis));
  if (garbage.examples.length > 0) {
    lines.push('', 'first garbage lines:');
    for (const example of garbage.examples) {
      lines.push(`  ${example.reason}: ${printable(example.line)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Text from the log as it may go to a terminal: control characters (a binary file's, or an
 * escape sequence planted in a log) written as \xNN. The aggregator already cuts long lines.
 */
function printable(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are what it escapes
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (character) => {
    return `\\x${character.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
}

function otherJournalLines(count: number): string[] {
  if (count === 0) return [];
  // systemd's about the unit come with -u; any daemon's come in an export without it.
  return [`  journal       ${count} lines from other programs than sysbox-fs`];
}

function unitChange(change: UnitChangeEvent, storms: readonly StormPeriod[]): string {
  const detail = change.detail === '' ? '' : ` ${printable(change.detail)}`;
  const storm = change.duringStorm === null ? undefined : storms[change.duringStorm];
  const during = storm === undefined ? '' : `, during the storm from ${storm.start}`;
  return `  unit          ${printable(change.time)} ${change.change}${detail}${during}`;
}

function storms(analysis: LogAnalysis): string {
  if (analysis.storms.length === 0) return 'storms: none (no sustained loop on one target)';
  const lines = [`storms: ${analysis.storms.length}`];
  for (const storm of analysis.storms) {
    const ongoing = storm.ongoingAtEnd ? ', still going at the end of the log' : '';
    lines.push(
      `  ${storm.start} .. ${storm.end}  ${storm.durationSeconds} s, ` +
        `${storm.attempts} unmount attempts, ${storm.meanPerSecond.toFixed(1)}/s mean, ` +
        `${storm.behaviour}${ongoing}`,
    );
    lines.push(`    pids: ${storm.pids.join(', ') || 'unknown'}`);
    for (const target of storm.targets) {
      lines.push(
        `    ${target.path}: ${target.attempts} attempts (peak ${target.peakPerSecond}/s), ` +
          `${target.ignored} ignored, ${target.rejected} rejected`,
      );
    }
  }
  return lines.join('\n');
}

function formatLevels(levels: LogAnalysis['levels']): string {
  const entries = Object.entries(levels);
  return entries.length === 0 ? '-' : entries.map(([level, n]) => `${level} ${n}`).join(', ');
}

/**
 * Lines stamped earlier than one before them are counted in the later second, so a clock
 * step inside a storm moves its start and peak: say so where the numbers are read.
 */
function outOfOrder(count: number): string[] {
  if (count === 0) return [];
  return [
    `  out of order  ${count} lines stamped earlier than a line before them (a clock step?), ` +
      'counted in the later second: storm start and peak may be shifted',
  ];
}
