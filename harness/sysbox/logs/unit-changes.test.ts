import type { StormPeriod } from './storms.ts';
import { journalTimeAsLogrus, placeUnitChanges } from './unit-changes.ts';

function storm(start: string, end: string): StormPeriod {
  return {
    start,
    end,
    durationSeconds: 0,
    targets: [],
    pids: [],
    attempts: 0,
    meanPerSecond: 0,
    peakPerSecond: 0,
    behaviour: 'pre-fix',
    ongoingAtEnd: false,
  };
}

describe('journalTimeAsLogrus', () => {
  it('takes short-iso times as printed', () => {
    expect(journalTimeAsLogrus('2026-12-03T13:57:16+0000', null)).toBe('2026-12-03 13:57:16');
    expect(journalTimeAsLogrus('2026-12-03T13:57:16.123+01:00', null)).toBe('2026-12-03 13:57:16');
  });

  it('gives short and short-precise times the year that puts them nearest the log', () => {
    expect(journalTimeAsLogrus('Dec  3 13:57:16', '2026-12-03 10:00:00')).toBe(
      '2026-12-03 13:57:16',
    );
    expect(journalTimeAsLogrus('Dec 31 23:59:59.5', '2027-01-01 00:00:10')).toBe(
      '2026-12-31 23:59:59',
    );
    expect(journalTimeAsLogrus('Jan 01 00:00:05', '2026-12-31 23:59:00')).toBe(
      '2027-01-01 00:00:05',
    );
  });

  it('gives up without a log time to take the year from, or on a foreign month', () => {
    expect(journalTimeAsLogrus('Dec 03 13:57:16', null)).toBeNull();
    expect(journalTimeAsLogrus('Dez 03 13:57:16', '2026-12-03 10:00:00')).toBeNull();
  });
});

describe('placeUnitChanges', () => {
  const storms = [
    storm('2026-12-03 13:57:16', '2026-12-03 13:57:40'),
    storm('2026-12-03 14:00:00', '2026-12-03 14:01:00'),
  ];
  const at = (time: string) => ({ time, change: 'stopping' as const, detail: '' });

  it('says which storm a change fell in, counting the quiet seconds a storm tolerates', () => {
    const placed = placeUnitChanges(
      [at('Dec 03 13:57:10'), at('Dec 03 13:57:30'), at('Dec 03 13:57:42'), at('Dec 03 14:00:00')],
      storms,
      '2026-12-03 13:57:00',
      2,
    );
    expect(placed.map((change) => change.duringStorm)).toEqual([null, 0, 0, 1]);
    expect(placed[1]).toMatchObject({ logTime: '2026-12-03 13:57:30', change: 'stopping' });
  });

  it('places nothing it cannot put on the log clock', () => {
    const placed = placeUnitChanges([at('Dec 03 13:57:30')], storms, null, 2);
    expect(placed).toEqual([{ ...at('Dec 03 13:57:30'), logTime: null, duringStorm: null }]);
  });
});
