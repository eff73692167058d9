import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { isHarnessError } from '../../errors/harness-error.ts';
import { type LogAnalysis, UnmountLogAggregator } from './aggregate.ts';
import { analyzeFile } from './analyze-file.ts';
import { analyzeStream } from './analyze-stream.ts';
import { MAX_LINE_BYTES } from './byte-scanner.ts';
import { debugLogText } from './fixtures/generate-debug-log.ts';
import { eachScanner } from './fixtures/scanners.ts';
import { LineBuffer } from './line-buffer.ts';
import {
  chooseLogScanner,
  createLogScanner,
  type LogScannerChoice,
  logScannerAddon,
} from './log-scanner.ts';
import { UnmountEvents } from './unmount-events.ts';

const T = '2026-12-03 13:57:30';
const SYS = '/run/systemd/mount-rootfs/sys';
const line = (time: string, level: string, message: string) =>
  `time="${time}" level=${level} msg="${message}"\n`;
const received = (pid: number | string, time = T, level = 'debug') =>
  line(time, level, `Received umount syscall from pid ${pid}`);
const target = (path: string, time = T) =>
  line(time, 'debug', `target: ${path}, flags: 0x8, root: /, cwd: /`);
const ignoring = (path: string, time = T) =>
  line(time, 'debug', `Ignoring unmount of sysbox-fs managed submount at ${path}`);
const rejected = (path: string, time = T) =>
  line(time, 'info', `Rejected unmount of sysbox-fs managed submount at ${path}`);
const fuse = (rest: string) => `2026/12/03 13:57:31 FUSE: ${rest}\n`;
const journal = (prefix: string, text: string) => `${prefix}${text}`;
const HOST = 'Dec 03 13:57:30 ci-host sysbox-fs[812]: ';

/** The reference: the whole input decoded, split, and each line through parseSysboxFsLine. */
function referenceAnalysis(bytes: Buffer): LogAnalysis {
  const aggregator = new UnmountLogAggregator();
  const lines = bytes.toString('utf8').split('\n');
  const last = lines.pop();
  for (const each of lines) aggregator.pushLine(each);
  if (last) {
    aggregator.pushLine(last);
    aggregator.notePartialLastLine();
  }
  return aggregator.finish();
}

/**
 * Scans `bytes` in `chunk`-byte writes with ops arrays of `opsLength` (tiny ones make every
 * append grow the array and every take() start a new generation of target indexes).
 */
function scanned(
  scanner: LogScannerChoice,
  bytes: Buffer,
  chunk: number,
  opsLength = 1 << 16,
): LogAnalysis {
  const aggregator = new UnmountLogAggregator();
  const events = new UnmountEvents(new Float64Array(opsLength));
  const lines = new LineBuffer(createLogScanner(events, scanner));
  for (let at = 0; at < bytes.length; at += chunk) {
    lines.write(bytes.subarray(at, at + chunk));
    aggregator.replay(events.take(new Float64Array(opsLength)));
  }
  const partial = lines.end();
  aggregator.replay(events.take());
  if (partial) aggregator.notePartialLastLine();
  return aggregator.finish();
}

/**
 * The quoted `YYYY-MM-DD HH:MM:SS` times of `text` as logrus's RFC3339Nano layout prints them
 * in `zone`: a fraction that changes every line, without trailing zeros, none on the second.
 */
function inRfc3339Nano(text: string, zone: string): string {
  let line = 0;
  return text.replace(/(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?=")/g, (_, day, clock) => {
    const nanos = ((++line * 7919) % 100) * 10_000_000;
    const fraction = nanos === 0 ? '' : `.${String(nanos).padStart(9, '0').replace(/0+$/, '')}`;
    return `${day}T${clock}${fraction}${zone}`;
  });
}

/** Lines the hot path must hand on, or must recognise, at its edges. */
function edgeCases(): Buffer {
  const text = [
    received(7, '2026-12-03 13:57:29', 'info'),
    target(SYS, '2026-12-03 13:57:29'),
    // The same second under another level, then back.
    received(8),
    rejected(`${SYS}/kernel`),
    received(8),
    rejected(`${SYS}/kernel`),
    target(SYS),
    // Pids at the edges of what the reference accepts.
    received('000123'),
    received('999999999999999'),
    received('1000000000000000'),
    received('9999999999999999'),
    received('12345678901234567'),
    received(0),
    received('12a'),
    received(''),
    received(`9"`),
    `time="${T}" level=debug msg="Received umount syscall from pid 5"\r\n`,
    `time="${T}" level=debug msg="Received umount syscall from pid 5" pid=5\n`,
    `time="${T}" level=trace msg="Received umount syscall from pid 5"\n`,
    `time="${T}"  level=debug msg="Received umount syscall from pid 5"\n`,
    `time="2026-12-03T13:57:30" level=debug msg="Received umount syscall from pid 5"\n`,
    // logrus's default RFC 3339 times, in the second of the lines around them.
    `time="2026-12-03T13:57:30Z" level=debug msg="Received umount syscall from pid 5"\n`,
    received(5),
    target(SYS).replace(T, '2026-12-03T13:57:30.25+01:00'),
    ignoring(SYS).replace(T, '2026-12-03T13:57:30.999999999-05:00'),
    ignoring(SYS),
    `time="${T}" level=debug msg=Received\n`,
    `time="${T}" level=debug msg="Rec"\n`,
    `time="${T}" level=debug msg=""\n`,
    `time="${T}" level=debug\n`,
    // More distinct targets than the cache holds, twice, so entries are replaced.
    ...Array.from({ length: 12 }, (_, index) => target(`/t/${index}`) + ignoring(`/t/${index}`)),
    ...Array.from({ length: 12 }, (_, index) => target(`/t/${11 - index}`)),
    // Cached messages with bytes that read as NaN or ±0 when compared as doubles.
    target('/nan\xff\xff\xff\xff\xff\xff\xff\x7f/x'),
    target('/nan\xff\xff\xff\xff\xff\xff\xff\x7f/x'),
    target('/zero\x80\x80\x80\x80\x80\x80\x80/x'),
    target('/zero\x80\x80\x80\x80\x80\x80\x80/x'),
    target('/ctl\x00\x00\x00\x00\x00\x00\x00/x'),
    target('/ctl\x00\x00\x00\x00\x00\x00\x00\x80/x'),
    target('/q\\"uote'),
    target('/q\\"uote'),
    // A cached message followed by more than its closing quote.
    target(SYS).replace('"\n', '" extra=1\n'),
    target(SYS).replace('"\n', '"\r\n'),
    ignoring(SYS).replace(SYS, `${SYS}x`),
    fuse(''),
    fuse('<- Getattr [ID=0x4 Node=0x1 Uid=0 Gid=0 Pid=15720] 0x0 fl=0'),
    '2026/12/03 13:57:31 FUSE:\n',
    '2026/12/03 13:57:3x FUSE: x\n',
    '2026/12/03 13:57:31 FUSE: \r\n',
    '2026-12-03 13:57:31 FUSE: x\n',
    // journalctl's prefix in the shapes its pattern allows, and near misses.
    journal(HOST, received(41)),
    journal(HOST, target(SYS)),
    journal(HOST, ignoring(`${SYS}/devices/virtual`)),
    journal(HOST, ignoring(`${SYS}/devices/virtual`)),
    ignoring(`${SYS}/devices/virtual`),
    journal(HOST, fuse('x')),
    journal('Dec  3 13:57:30 h sysbox-fs[1]: ', received(42)),
    journal('Dec 3 13:57:30 h sysbox-fs[1]: ', received(43)),
    journal('Dec 3 13:57:30 h sysbox-fs[1]: ', received(44, '2026-12-03 13:57:32')),
    journal('Dec 123 13:57:30 h sysbox-fs[1]: ', received(45)),
    journal('dec 03 13:57:30 h sysbox-fs[1]: ', received(46)),
    journal('Dec 03 13:57:30 h\tsysbox-fs[1]: ', received(47)),
    journal('Dec 03 13:57:30 h\tx sysbox-fs[1]: ', received(47)),
    journal('Dec 03 13:57:30 h x\vsysbox-fs[1]: ', received(47)),
    journal('Dec 03 13:57:30 h\xc3\xb3st sysbox-fs[1]: ', received(48)),
    journal('Dec 03 13:57:30 h\xc2\xa0st sysbox-fs[1]: ', received(49)),
    journal('Dec 03 13:57:30 h sysbox-fs[]: ', received(50)),
    journal('Dec 03 13:57:30 h sysbox-fs]x[1]: ', received(51)),
    journal('Dec 03 13:57:30 h sysbox-fs[1]:', received(52)),
    journal('Dec 03 13:57:30 h sysbox-fs[1]: ', ''),
    journal('2026-12-03T13:57:30+0000 h sysbox-fs[1]: ', received(53)),
    // Other programs' lines, as in an export without -u: only sysbox-fs's own count.
    journal('Dec 03 13:57:30 h sysbox-mgr[2]: ', received(54)),
    journal('Dec 03 13:57:30 h dockerd[3]: ', target(SYS)),
    journal('Dec 03 13:57:30 h containerd[4]: ', ignoring(`${SYS}/devices/virtual`)),
    journal('Dec 03 13:57:30 h sysbox-f[1]: ', received(55)),
    journal('Dec 03 13:57:30 h sysbox-fsx[1]: ', received(56)),
    journal('Dec 03 13:57:30 h sysbox-fx[1]: ', received(57)),
    journal('Dec 03 13:57:30 h Sysbox-fs[1]: ', received(58)),
    journal('Dec 03 13:57:30 h containerd[4]: ', fuse('x')),
    journal(HOST, received(59)),
    '\n',
    '\n',
    't\n',
    'time="\n',
    received(9, '2026-12-03 13:57:31'),
  ].join('');
  return Buffer.from(text, 'latin1');
}

const addon = logScannerAddon();
for (const [title, scanner, suite] of eachScanner()) {
  suite(`${title} at the edges of its hot path`, () => {
    const bytes = edgeCases();
    const reference = referenceAnalysis(bytes);

    it('meets the shapes it must hand on', () => {
      expect(reference.garbage.count).toBeGreaterThan(5);
      expect(reference.totals.umountCalls).toBeGreaterThan(10);
      expect(reference.levels).toMatchObject({ debug: expect.any(Number), info: 3 });
    });

    it.each([1, 3, 64, 500, 1 << 20])('gives the reference analysis in %i-byte writes', (size) => {
      expect(scanned(scanner, bytes, size)).toEqual(reference);
    });

    it('gives it when every append grows the ops array and every write is a new batch', () => {
      expect(scanned(scanner, bytes, 97, 1)).toEqual(reference);
      expect(scanned(scanner, bytes, 1 << 20, 2)).toEqual(reference);
    });

    it('gives it for a storm far longer than the ops array and the read buffer', () => {
      const loop = received(15720) + target(SYS) + ignoring(`${SYS}/devices/virtual`);
      const storm = Buffer.from(
        Array.from({ length: 60_000 }, (_, index) => {
          const second = String(index % 60).padStart(2, '0');
          return loop.replaceAll(T, `2026-12-03 13:58:${second}`) + fuse(`ID=0x${index}`);
        }).join(''),
      );
      expect(storm.length).toBeGreaterThan(16 << 20);
      expect(scanned(scanner, storm, 1 << 20)).toEqual(referenceAnalysis(storm));
    });

    it('gives the reference analysis of a journal export', () => {
      const exported = Buffer.from(
        debugLogText(4, {
          start: '2026-12-03 13:57:16',
          pids: [5, 6],
          loopsPerSecond: 40,
          format: 'text',
          journalHost: 'ci-host',
        }),
      );
      const reference = referenceAnalysis(exported);
      expect(reference.formats.journalPrefixed).toBe(reference.lines);
      expect(scanned(scanner, exported, 4096)).toEqual(reference);
    });

    it("counts only sysbox-fs's own lines in an export without -u", () => {
      const own = debugLogText(4, {
        start: '2026-12-03 13:57:16',
        pids: [5],
        loopsPerSecond: 30,
        format: 'text',
        journalHost: 'ci-host',
      });
      // Another daemon's lines, shaped like the storm's to show that only the name counts.
      const ownLines = own.split('\n').slice(0, -1);
      const mixed = ownLines.flatMap((each) => [
        each,
        each.replace(' sysbox-fs[812]: ', ' sysbox-mgr[700]: '),
      ]);
      const exported = Buffer.from(`${mixed.join('\n')}\n`);

      const analysis = scanned(scanner, exported, 4096);

      expect(analysis).toEqual(referenceAnalysis(exported));
      expect(analysis.kinds['journal-other']).toBe(ownLines.length);
      const alone = scanned(scanner, Buffer.from(own), 4096);
      expect(analysis.totals).toEqual(alone.totals);
      expect(analysis.storms).toEqual(alone.storms);
    });

    it.each([
      ['text', '+01:00'],
      ['json', 'Z'],
    ] as const)(
      'counts a %s storm stamped in RFC 3339 (%s) in the same seconds',
      (format, zone) => {
        const options = { start: '2026-12-03 13:57:16', pids: [5, 6], loopsPerSecond: 30, format };
        const plain = Buffer.from(debugLogText(5, options));
        const stamped = Buffer.from(inRfc3339Nano(plain.toString(), zone));
        // The first line's fraction, and the hundredth line's whole second.
        expect(stamped.toString()).toContain(`T13:57:16.19${zone}"`);
        expect(stamped.toString()).toContain(`T13:57:16${zone}"`);

        const analysis = scanned(scanner, stamped, 4096);

        expect(analysis).toEqual(referenceAnalysis(stamped));
        expect(analysis).toEqual(scanned(scanner, plain, 4096));
        expect(analysis.garbage.count).toBe(0);
      },
    );

    it("counts systemd's journal lines apart, and places a restart in the storm", () => {
      const storm = (start: string) =>
        debugLogText(8, {
          start,
          pids: [5],
          loopsPerSecond: 30,
          format: 'text',
          journalHost: 'ci-host',
        });
      const systemd = 'Dec 03 13:57:24 ci-host systemd[1]: ';
      const unit = 'sysbox-fs.service - sysbox-fs (part of the Sysbox container runtime)';
      const exported = Buffer.from(
        [
          storm('2026-12-03 13:57:16'),
          `${systemd}Stopping ${unit}...\n`,
          `${systemd}sysbox-fs.service: Deactivated successfully.\n`,
          `${systemd}Stopped ${unit}.\n`,
          `${systemd}sysbox-fs.service: Consumed 1min 2.345s CPU time.\n`,
          `${systemd}Started ${unit}.\n`,
          storm('2026-12-03 13:57:26'),
        ].join(''),
      );

      const analysis = scanned(scanner, exported, 4096);

      expect(analysis).toEqual(referenceAnalysis(exported));
      expect(analysis.garbage.count).toBe(0);
      expect(analysis.kinds['journal-other']).toBe(5);
      expect(analysis.storms).toHaveLength(1);
      expect(analysis.unitChanges).toEqual([
        expect.objectContaining({ change: 'stopping', duringStorm: 0 }),
        expect.objectContaining({ change: 'stopped', logTime: '2026-12-03 13:57:24' }),
        expect.objectContaining({ change: 'cpu-consumed', detail: '1min 2.345s' }),
        expect.objectContaining({ change: 'started', duringStorm: 0 }),
      ]);
    });

    it('takes FUSE lines among info lines for debug output', () => {
      const info = Buffer.from(rejected(SYS) + fuse('x') + fuse('y') + rejected(SYS));
      const analysis = scanned(scanner, info, 1 << 20);
      expect(analysis.debugLines).toBe(true);
      expect(analysis).toEqual(referenceAnalysis(info));
    });

    it('scans lines that end exactly where the buffer ends', () => {
      const events = new UnmountEvents();
      const scan = createLogScanner(events, scanner);
      const aggregator = new UnmountLogAggregator();
      for (const text of [received(3), target(SYS), fuse('x'), received(4).slice(0, -1)]) {
        const exact = Buffer.from(text);
        const end = scan.scanLines(exact, 0, exact.length);
        if (end < exact.length) scan.scanLine(exact, end, exact.length);
      }
      aggregator.replay(events.take());
      const whole = Buffer.from(received(3) + target(SYS) + fuse('x') + received(4));
      expect(aggregator.finish()).toEqual(referenceAnalysis(whole));
    });

    it('counts overlong lines whose class does not depend on where they are cut', () => {
      const long = 'x'.repeat(MAX_LINE_BYTES + 1000);
      const overlong = Buffer.from(
        [received(1), fuse(long), received(2), `${long}\n`, target(SYS), fuse(long)].join(''),
      );
      const reference = referenceAnalysis(overlong);
      for (const size of [4096, 1 << 20, 8 << 20]) {
        expect(scanned(scanner, overlong, size)).toEqual(reference);
      }
    });
  });
}

/**
 * An overlong line that is the last of its input: once its rest is dropped the buffer holds
 * nothing, and a scan of that empty range once searched the stale bytes behind it (the file
 * path threw a negative read offset, stdin counted old lines again).
 */
for (const [title, scanner, suite] of eachScanner()) {
  suite(`${title} on an overlong last line`, () => {
    const short = line(T, 'info', 'ok');
    const long = `${'y'.repeat(MAX_LINE_BYTES + 300_000)}\n`;
    const cases: [string, string][] = [
      ['alone', long],
      ['after a short line', short + long],
      ['before a short line', long + short],
    ];

    it.each(cases)('reads it from a file and from a stream alike: %s', async (_, text) => {
      const dir = await mkdtemp(join(tmpdir(), 'sysbox-repro-overlong-'));
      try {
        const path = join(dir, 'overlong.log');
        await writeFile(path, text, 'latin1');
        const fromFile = await analyzeFile(path, { scanner });
        const bytes = Buffer.from(text, 'latin1');
        const chunks = [bytes.subarray(0, 65_536), bytes.subarray(65_536)];
        const fromStream = await analyzeStream(Readable.from(chunks), { scanner });

        const lines = text.split('\n').length - 1;
        for (const analysis of [fromFile, fromStream]) {
          expect(analysis.lines).toBe(lines);
          expect(analysis.garbage.count).toBe(1);
          expect(analysis.partialLastLine).toBe(false);
        }
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });
}

describe('the native scanner', () => {
  it('is built, unless the JavaScript one was asked for', () => {
    if (process.env.SYSBOX_REPRO_LOG_SCANNER === 'js') return;
    expect(addon).toHaveProperty('addon');
  });

  const withAddon = 'addon' in addon ? it : it.skip;
  withAddon('gives what the JavaScript one gives for a line cut at the length limit', () => {
    const cut = Buffer.from(
      received(1) + target(`/${'p'.repeat(MAX_LINE_BYTES)}`) + received(2) + target(SYS),
    );
    expect(scanned('native', cut, 1 << 20)).toEqual(scanned('js', cut, 1 << 20));
  });
});

describe('SYSBOX_REPRO_LOG_SCANNER', () => {
  const saved = process.env.SYSBOX_REPRO_LOG_SCANNER;
  afterEach(() => {
    if (saved === undefined) delete process.env.SYSBOX_REPRO_LOG_SCANNER;
    else process.env.SYSBOX_REPRO_LOG_SCANNER = saved;
  });
  const choose = (value: string | undefined) => {
    if (value === undefined) delete process.env.SYSBOX_REPRO_LOG_SCANNER;
    else process.env.SYSBOX_REPRO_LOG_SCANNER = value;
    try {
      return chooseLogScanner();
    } catch (error) {
      return isHarnessError(error) ? error.kind : error;
    }
  };
  const built = 'addon' in addon;

  it('picks the native scanner when it is built and nothing else is asked for', () => {
    expect(choose(undefined)).toBe(built ? 'native' : 'js');
    expect(choose('')).toBe(built ? 'native' : 'js');
  });

  it('gives the JavaScript one when asked, and the native one or a host not ready', () => {
    expect(choose('js')).toBe('js');
    expect(choose('native')).toBe(built ? 'native' : 'host-not-ready');
  });

  it('refuses another value as bad input', () => {
    expect(choose('Native')).toBe('bad-input');
    expect(choose('c')).toBe('bad-input');
  });
});
