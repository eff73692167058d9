import { logrusTimeSecond } from './logrus-time.ts';

describe('logrusTimeSecond', () => {
  it("keeps sysbox-fs's own layout as it is", () => {
    expect(logrusTimeSecond('2026-12-03 13:57:16')).toBe('2026-12-03 13:57:16');
  });

  // time.RFC3339 is what a logrus formatter prints when no layout is set; RFC3339Nano adds a
  // fraction without its trailing zeros.
  it.each([
    ['UTC', '2026-12-03T13:57:16Z'],
    ['a zone east of UTC', '2026-12-03T13:57:16+01:00'],
    ['a zone west of UTC', '2026-12-03T13:57:16-05:30'],
    ['nanoseconds', '2026-12-03T13:57:16.999999999Z'],
    ['a fraction without trailing zeros', '2026-12-03T13:57:16.5+01:00'],
  ])('reads RFC 3339 with %s as the wall-clock second it falls in', (_what, time) => {
    expect(logrusTimeSecond(time)).toBe('2026-12-03 13:57:16');
  });

  it.each([
    ['no zone', '2026-12-03T13:57:16'],
    ['a zone without its colon', '2026-12-03T13:57:16+0100'],
    ['an empty fraction', '2026-12-03T13:57:16.Z'],
    ['ten fraction digits', '2026-12-03T13:57:16.1234567890Z'],
    ['a lower-case separator', '2026-12-03t13:57:16Z'],
    ["Go's log layout", '2026/12/03 13:57:16'],
    ['a cut time', '2026-12-03T13:57'],
    ['a fraction in the sysbox-fs layout', '2026-12-03 13:57:16.5'],
  ])('refuses %s', (_what, time) => {
    expect(logrusTimeSecond(time)).toBeNull();
  });
});
