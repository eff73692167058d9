// sysbox-fs sets its own layout, "2006-01-02 15:04:05". A logrus formatter left without one
// prints time.RFC3339 ("2006-01-02T15:04:05Z07:00"), and programs often set RFC3339Nano,
// which adds up to nine digits of fraction (trailing zeros dropped, none for a whole second).
const SYSBOX_FS_LAYOUT = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/;
const RFC3339 = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)(?:\.\d{1,9})?(?:Z|[+-]\d\d:\d\d)$/;

/**
 * The second a logrus time falls in, as `YYYY-MM-DD HH:MM:SS`; null for a time in neither
 * layout. An RFC 3339 time keeps its wall clock and drops its zone: logrus prints the
 * writer's local time in both layouts, and journal times are compared as printed too
 * (unit-changes.ts), so every clock of a log stays on one zone-less scale; a zone change
 * inside the log (daylight saving) is a clock step there, as it is in sysbox-fs's layout.
 * The fraction is cut, as Go cuts it when it prints whole seconds.
 */
export function logrusTimeSecond(time: string): string | null {
  if (SYSBOX_FS_LAYOUT.test(time)) return time;

  const rfc3339 = RFC3339.exec(time);
  if (rfc3339 === null) return null;
  return `${rfc3339[1]} ${rfc3339[2]}`;
}
