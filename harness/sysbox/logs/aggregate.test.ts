import { Readable } from 'node:stream';
import { type LogAnalysis, UnmountLogAggregator } from './aggregate.ts';
import { analyzeStream } from './analyze-stream.ts';
import { debugLogText, logrusLine, loopMessages } from './fixtures/generate-debug-log.ts';

const VIRTUAL = '/run/systemd/mount-rootfs/sys/devices/virtual';
const SYS = '/run/systemd/mount-rootfs/sys';

async function fastAnalysis(text: string, chunkSize = 4096): Promise<LogAnalysis> {
  const bytes = Buffer.from(text);
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += chunkSize) {
    chunks.push(bytes.subarray(at, at + chunkSize));
  }
  return analyzeStream(Readable.from(chunks));
}

describe('UnmountLogAggregator', () => {
  it('finds a pre-fix storm with its pids, targets, rate and duration', async () => {
    const log = debugLogText(30, {
      start: '2026-12-03 13:57:16',
      pids: [15720, 15731],
      loopsPerSecond: 100,
      format: 'text',
    });
    const analysis = await fastAnalysis(log);

    expect(analysis.garbage.count).toBe(0);
    expect(analysis.totals).toMatchObject({ umountCalls: 6000, ignored: 3000, rejected: 0 });
    expect(analysis.behaviour).toBe('pre-fix');
    expect(analysis.storms).toHaveLength(1);
    const [storm] = analysis.storms;
    expect(storm).toMatchObject({
      start: '2026-12-03 13:57:16',
      end: '2026-12-03 13:57:45',
      durationSeconds: 30,
      pids: [15720, 15731],
      attempts: 6000,
      meanPerSecond: 200,
      // Both targets loop every second: the busiest second holds both.
      peakPerSecond: 200,
      behaviour: 'pre-fix',
      ongoingAtEnd: true,
    });
    expect(storm?.targets.map((target) => target.path).sort()).toEqual([SYS, VIRTUAL]);
    expect(storm?.targets.find((t) => t.path === VIRTUAL)).toMatchObject({
      attempts: 3000,
      ignored: 3000,
      peakPerSecond: 100,
    });
  });

  it('pairs target lines with the oldest waiting pid when pids interleave', () => {
    const aggregator = new UnmountLogAggregator({ keepSeconds: true });
    const t = '2026-12-03 13:57:16';
    const lines = [
      ['debug', 'Received umount syscall from pid 10'],
      ['debug', 'Received umount syscall from pid 20'],
      ['debug', `target: ${SYS}, flags: 0x8, root: /, cwd: /`],
      ['debug', `target: ${VIRTUAL}, flags: 0x8, root: /, cwd: /`],
      ['debug', `Ignoring unmount of sysbox-fs managed submount at ${VIRTUAL}`],
    ];
    for (const [level, message] of lines)
      aggregator.pushLine(logrusLine('text', t, level ?? '', message ?? ''));
    const analysis = aggregator.finish();

    expect(analysis.totals).toMatchObject({
      umountCalls: 2,
      ambiguousPairs: 1,
      unpairedTargets: 0,
    });
    expect(analysis.seconds).toEqual([
      {
        time: t,
        umountCalls: 2,
        ignored: 1,
        rejected: 0,
        byTarget: {
          [SYS]: { calls: 1, ignored: 0, rejected: 0 },
          [VIRTUAL]: { calls: 1, ignored: 1, rejected: 0 },
        },
        byPid: { '10': 1, '20': 1 },
      },
    ]);
  });

  it('sees a post-fix boot (three Rejected lines at info) as no storm', () => {
    const aggregator = new UnmountLogAggregator();
    const t = '2026-12-03 13:57:16';
    aggregator.pushLine(logrusLine('text', t, 'info', 'Initiating sysbox-fs ...'));
    for (const at of [VIRTUAL, `${SYS}/kernel`, `${SYS}/module/nf_conntrack/parameters`]) {
      aggregator.pushLine(
        logrusLine('text', t, 'info', `Rejected unmount of sysbox-fs managed submount at ${at}`),
      );
    }
    const analysis = aggregator.finish();

    expect(analysis.behaviour).toBe('post-fix');
    expect(analysis.storms).toEqual([]);
    expect(analysis.debugLines).toBe(false);
    expect(analysis.startups).toHaveLength(1);
  });

  it('does not call a short burst a storm, and splits loops separated by quiet time', () => {
    const aggregator = new UnmountLogAggregator({
      storms: { minRatePerSecond: 20, minSeconds: 5, maxGapSeconds: 2 },
    });
    const emit = (time: string, loops: number) => {
      for (let loop = 0; loop < loops; loop++) {
        for (const message of loopMessages(7)) {
          aggregator.pushLine(logrusLine('text', time, 'debug', message));
        }
      }
    };
    for (const second of ['00', '01', '02']) emit(`2026-12-03 10:00:${second}`, 50);
    for (let second = 20; second < 30; second++) emit(`2026-12-03 10:00:${second}`, 50);
    for (let second = 40; second < 46; second++) emit(`2026-12-03 10:00:${second}`, 50);
    const analysis = aggregator.finish();

    expect(analysis.storms.map((storm) => [storm.start, storm.durationSeconds])).toEqual([
      ['2026-12-03 10:00:20', 10],
      ['2026-12-03 10:00:40', 6],
    ]);
  });

  it('counts garbage and a partial last line without failing', async () => {
    const good = logrusLine('text', '2026-12-03 13:57:16', 'debug', loopMessages(5)[0] ?? '');
    const text = `${good}\nnot a log line\n\u0000\u0001\n${good}\ntime="2026-12-03 13:57:16" level=deb`;
    const analysis = await fastAnalysis(text, 7);

    expect(analysis.lines).toBe(5);
    expect(analysis.garbage.count).toBe(3);
    expect(analysis.partialLastLine).toBe(true);
    expect(analysis.totals.umountCalls).toBe(2);
  });
});
