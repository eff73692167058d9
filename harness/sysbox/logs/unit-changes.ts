import type { UnitChangeLine } from './line-tally.ts';
import { logrusSecond } from './seconds.ts';
import type { StormPeriod } from './storms.ts';

/** A change of sysbox-fs.service, placed on the log's clock and against its storms. */
export interface UnitChangeEvent extends UnitChangeLine {
  /**
   * The journal time in logrus's `YYYY-MM-DD HH:MM:SS`, the year taken from the log's first
   * logrus line where journalctl prints none; null when there is none to take it from.
   */
  logTime: string | null;
  /** Index in `storms` of the storm it fell in (or in the quiet seconds it tolerates after). */
  duringStorm: number | null;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const ISO = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)/;
const SHORT = /^([A-Z][a-z]{2}) ([ 0-9]?\d) (\d\d:\d\d:\d\d)/;

/**
 * Both clocks are local time on the same host (journalctl prints in its zone, sysbox-fs logs
 * in its own), so they compare as printed; a restart inside a storm then shows as such.
 */
export function placeUnitChanges(
  changes: readonly UnitChangeLine[],
  storms: readonly StormPeriod[],
  firstTime: string | null,
  gapSeconds: number,
): UnitChangeEvent[] {
  const spans = storms.map(({ start, end }) => [logrusSecond(start), logrusSecond(end)]);
  return changes.map((change) => {
    const logTime = journalTimeAsLogrus(change.time, firstTime);
    if (logTime === null) return { ...change, logTime, duringStorm: null };
    const second = logrusSecond(logTime);
    const index = spans.findIndex(([start = 0, end = 0]) => {
      return second >= start && second <= end + gapSeconds;
    });
    return { ...change, logTime, duringStorm: index < 0 ? null : index };
  });
}

/** A journal prefix's time in logrus's form; `near` (a logrus time) supplies a missing year. */
export function journalTimeAsLogrus(time: string, near: string | null): string | null {
  const iso = ISO.exec(time);
  if (iso !== null) return `${iso[1]} ${iso[2]}`;

  const short = SHORT.exec(time);
  const month = MONTHS.indexOf(short?.[1] ?? '') + 1;
  if (short === null || month === 0 || near === null) return null;
  const monthDay = `${pad(month)}-${pad(Number(short[2]))} ${short[3]}`;
  // The year that puts it closest to `near`: a log running over New Year gets both.
  const nearYear = Number(near.slice(0, 4));
  const candidates = [nearYear - 1, nearYear, nearYear + 1].map((year) => `${year}-${monthDay}`);
  const distance = (candidate: string) => Math.abs(logrusSecond(candidate) - logrusSecond(near));
  return candidates.reduce((best, each) => (distance(each) < distance(best) ? each : best));
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
