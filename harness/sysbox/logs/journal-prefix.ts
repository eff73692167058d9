import type { JournalPrefix } from './record.ts';

// `short` (journalctl's default): "Dec 03 13:57:16 host sysbox-fs[812]: ";
// `short-precise` adds microseconds: "Dec 03 13:57:16.123456 host sysbox-fs[812]: ";
// `short-iso`: "2026-12-03T13:57:16+0000 host sysbox-fs[812]: " (newer systemd: "+00:00").
// With --no-hostname the host and its space are left out.
const SENDER = String.raw`(?:(\S+) )?([^\s[\]]+)\[(\d+)\]: `;
const SHORT = new RegExp(String.raw`^([A-Z][a-z]{2} [ 0-9]?\d \d\d:\d\d:\d\d(?:\.\d+)?) ${SENDER}`);
const SHORT_ISO = new RegExp(
  String.raw`^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)) ${SENDER}`,
);

/** Splits a journal prefix off a line; `prefix` is null when the line has none. */
export function splitJournalPrefix(line: string): { prefix: JournalPrefix | null; body: string } {
  const first = line.charCodeAt(0);
  // Logrus text starts with 't', JSON with '{', Go's log with a digit of the year: skip
  // the regexes for the common unprefixed lines.
  const pattern = first >= 0x41 && first <= 0x5a ? SHORT : isDigit(first) ? SHORT_ISO : null;
  if (pattern === null) return { prefix: null, body: line };

  const match = pattern.exec(line);
  if (match === null) return { prefix: null, body: line };
  const [whole, time = '', host, identifier = '', pid] = match as unknown as [string, ...string[]];
  return {
    prefix: { time, host: host ?? null, identifier, pid: Number(pid) },
    body: line.slice(whole.length),
  };
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}
