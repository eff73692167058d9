/**
 * Logrus times carry no zone (sysbox-fs's local time; the parser drops an RFC 3339 time's,
 * see logrus-time.ts). They are turned into seconds on a zone-less scale, good for ordering
 * and differences within one log, not for wall-clock comparisons with other sources.
 */
export function logrusSecond(time: string): number {
  const ms = Date.UTC(
    Number(time.slice(0, 4)),
    Number(time.slice(5, 7)) - 1,
    Number(time.slice(8, 10)),
    Number(time.slice(11, 13)),
    Number(time.slice(14, 16)),
    Number(time.slice(17, 19)),
  );
  return ms / 1000;
}

/** Back from the zone-less scale to the `YYYY-MM-DD HH:MM:SS` form logrus prints. */
export function formatLogrusSecond(second: number): string {
  return new Date(second * 1000).toISOString().slice(0, 19).replace('T', ' ');
}
