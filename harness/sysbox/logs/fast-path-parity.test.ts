import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { type LogAnalysis, UnmountLogAggregator } from './aggregate.ts';
import { analyzeFile } from './analyze-file.ts';
import { analyzeStream } from './analyze-stream.ts';
import { debugLogText, logrusLine } from './fixtures/generate-debug-log.ts';
import { eachScanner } from './fixtures/scanners.ts';
import { type LogScannerChoice, logScannerAddon } from './log-scanner.ts';

const T = '2026-12-03 13:57:30';
const SYS = '/run/systemd/mount-rootfs/sys';
const received = (pid: number) => {
  const message = `Received umount syscall from pid ${pid}`;
  return `${logrusLine('text', '2026-12-03 13:57:28', 'debug', message)}\n`;
};

const MANAGED = 'unmount of sysbox-fs managed submount at';
const rfc3339 = (format: 'text' | 'json', time: string, message: string) =>
  `${logrusLine(format, time, 'debug', message)}\n`;

/** Every line kind the analysis knows, in the documented shapes, plus broken ones. */
function everyLineKind(): Buffer {
  const text = [
    // A byte-order mark, as a log saved by a Windows editor starts.
    '\ufeff-- Logs begin at Thu 2026-12-03 13:00:00 UTC. --\n',
    logrusLine('text', '2026-12-03 13:57:15', 'info', 'Initiating sysbox-fs ...'),
    '\n',
    logrusLine('text', '2026-12-03 13:57:15', 'info', 'Version: 0.6.4'),
    '\n',
    debugLogText(6, {
      start: '2026-12-03 13:57:16',
      pids: [11, 12, 13],
      loopsPerSecond: 30,
      format: 'text',
    }),
    debugLogText(3, {
      start: '2026-12-03 13:57:22',
      pids: [4],
      loopsPerSecond: 25,
      format: 'json',
    }),
    debugLogText(3, {
      start: '2026-12-03 13:57:25',
      pids: [5, 6],
      loopsPerSecond: 25,
      format: 'text',
      journalHost: 'ci-host',
    }),
    `2026-12-03T13:57:28+0000 h sysbox-fs[9]: ${logrusLine('text', '2026-12-03 13:57:28', 'debug', 'Received umount syscall from pid 77')}\n`,
    'Dec 03 13:57:28 h systemd[1]: Stopping sysbox-fs.service - sysbox-fs (part of Sysbox)...\n',
    'Dec 03 13:57:28 h systemd[1]: sysbox-fs.service: Consumed 1min 2.345s CPU time.\r\n',
    'Dec 03 13:57:28 h systemd[1]: sysbox-fs.service: Deactivated successfully.\n',
    `Dec 03 13:57:28.123456 h sysbox-fs[9]: ${received(78)}`,
    `Dec 03 13:57:28 sysbox-fs[9]: ${received(79)}`,
    'Dec 03 13:57:28 h sysbox-fs[9]: panic: runtime error\n',
    // Other daemons in an export without -u: logrus text and JSON, Go's log, a storm's shapes.
    `Dec 03 13:57:28 h sysbox-mgr[8]: ${logrusLine('text', T, 'info', 'Ready ...')}\n`,
    `Dec 03 13:57:28 h dockerd[7]: ${logrusLine('json', T, 'info', 'Loading containers')}\n`,
    `Dec 03 13:57:28 h containerd[6]: ${received(80)}`,
    'Dec 03 13:57:28 h containerd[6]: 2026/12/03 13:57:28 FUSE: <- Getattr\n',
    `2026-12-03T13:57:28+0000 h sysbox-fsd[5]: ${received(81)}`,
    `time="${T}" level=warning msg="failed to open \\"/proc/1/ns\\": no such file"\n`,
    `time="${T}" level=debug msg="Received umount syscall from pid 21"\n`,
    `time="${T}" level=debug msg="target: /a\\"b, flags: 0x8, root: /, cwd: /"\n`,
    `time="${T}" level=debug msg="Received umount syscall from pid 22"\r\n`,
    `time="${T}" level=debug msg="target: /ünï, flags: 0x8, root: /, cwd: /"\n`,
    `time="${T}" level=debug msg="Ignoring unmount of sysbox-fs managed submount at /ünï"\n`,
    `time="${T}" level=debug msg="Received umount syscall from pid 0"\n`,
    `time="${T}" level=debug msg="Received umount syscall from pid 1234567890123456"\n`,
    `time="${T}" level=debug msg="Received umount syscall from pid 23" extra=1\n`,
    `time="${T}" level=debug msg="target: ${SYS}, flags: 0x8, root: /, cwd: /" extra=1\n`,
    `time="${T}" level=debug msg="target: odd"\n`,
    `time="${T}" level=info msg="Rejected unmount of sysbox-fs managed submount at ${SYS}/kernel"\n`,
    `time="${T}" level=info msg="Rejected unmount of sysbox-fs managed submount at ${SYS}/kernel"\n`,
    `time="${T}" level=info msg=Done.\n`,
    // logrus's default RFC 3339 times (RFC3339Nano's fraction too), text and JSON, some in
    // the second of the lines around them.
    rfc3339('text', '2026-12-03T13:57:30Z', 'Received umount syscall from pid 24'),
    rfc3339('text', '2026-12-03T13:57:30.5+01:00', `target: ${SYS}, flags: 0x8, root: /, cwd: /`),
    rfc3339('json', '2026-12-03T13:57:30.123456789-05:00', `Ignoring ${MANAGED} ${SYS}/kernel`),
    rfc3339('json', '2026-12-03T13:57:31Z', 'Received umount syscall from pid 25'),
    rfc3339('text', '2026-12-03T13:57:31+0100', 'Received umount syscall from pid 26'),
    `time="2026-12-03 13:57:20" level=info msg="late line"\n`,
    `time="2026-12-03 13:57:20" level=debug msg="Received umount syscall from pid 31"\n`,
    `time="2026-13-03 25:57:20" level=debug msg="Received umount syscall from pid 32"\n`,
    'time="2026-12-03 13:5\n',
    '2026/12/03 13:57:31 FUSE: <- Getattr [ID=0x4 Node=0x1 Uid=0 Gid=0 Pid=15720] 0x0 fl=0\n',
    '2026/12/03 13:57:31 some other Go log line\n',
    '2026/12/03 13:57:31 FUSE\n',
    'garbage\n',
    '\n',
    '{"level":"debug","msg":"Received umount sys\n',
  ].join('');
  const invalidUtf8 = Buffer.from([0x74, 0xff, 0xfe, 0x0a, 0xc3, 0x0a]);
  const last = Buffer.from(
    `time="2026-12-03 13:57:32" level=debug msg="Received umount syscall from pid 1`,
  );
  return Buffer.concat([Buffer.from(text), invalidUtf8, Buffer.from(text), last]);
}

/** The reference: the whole input decoded, split, and each line through parseSysboxFsLine. */
function referenceAnalysis(bytes: Buffer): LogAnalysis {
  const aggregator = new UnmountLogAggregator();
  const lines = bytes.toString('utf8').split('\n');
  const last = lines.pop();
  for (const line of lines) aggregator.pushLine(line);
  if (last) {
    aggregator.pushLine(last);
    aggregator.notePartialLastLine();
  }
  return aggregator.finish();
}

function chunked(bytes: Buffer, size: number): Readable {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
  return Readable.from(chunks);
}

// `npm ci` builds the native scanner; a host without a C compiler sets
// SYSBOX_REPRO_LOG_SCANNER=js to test the JavaScript one alone, so a failed build never
// passes unnoticed.
const addon = logScannerAddon();
it('has the native log scanner built, unless the JavaScript one was asked for', () => {
  if (process.env.SYSBOX_REPRO_LOG_SCANNER === 'js') return;
  expect(addon).toHaveProperty('addon');
});

for (const [title, scanner, suite] of eachScanner()) {
  suite(`fast path (${title}) against the reference parser`, () => parityCases(scanner));
}

function parityCases(scanner: LogScannerChoice): void {
  const bytes = everyLineKind();
  const reference = referenceAnalysis(bytes);
  let dir = '';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sysbox-repro-parity-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('covers every line kind in the generated log', () => {
    for (const count of Object.values(reference.kinds)) expect(count).toBeGreaterThan(0);
    expect(reference.formats.json).toBeGreaterThan(0);
    expect(reference.formats.journalPrefixed).toBeGreaterThan(0);
    expect(reference.unitChanges.map(({ change }) => change)).toContain('cpu-consumed');
    expect(reference.outOfOrderLines).toBeGreaterThan(0);
    expect(reference.partialLastLine).toBe(true);
    expect(reference.storms.length).toBeGreaterThan(0);
    expect(reference.totals.rejected).toBeGreaterThan(0);
  });

  it.each([1, 7, 100, 4096, 1 << 20])(
    'gives the same analysis from a stream in %i-byte chunks',
    async (size) => {
      expect(await analyzeStream(chunked(bytes, size), { scanner })).toEqual(reference);
    },
  );

  it.each([
    [1, 1 << 20],
    [1, 997],
    [2, 997],
    [2, 64],
    [2, 211],
  ])(
    'gives the same analysis from a file with %i threads and %i-byte segments',
    async (threads, segmentBytes) => {
      const path = join(dir, `every-kind-${threads}-${segmentBytes}.log`);
      await writeFile(path, bytes);
      expect(await analyzeFile(path, { threads, segmentBytes, scanner })).toEqual(reference);
      // Only the workers scan, however fast this thread would have been.
      const workersOnly = { threads, segmentBytes, scanner, scanOnCallingThread: false };
      expect(await analyzeFile(path, workersOnly)).toEqual(reference);
    },
  );

  it('gives the same analysis for a file that ends with a newline', async () => {
    const whole = Buffer.concat([bytes, Buffer.from('\n')]);
    const path = join(dir, 'complete.log');
    await writeFile(path, whole);
    const expected = referenceAnalysis(whole);
    expect(expected.partialLastLine).toBe(false);
    expect(await analyzeFile(path, { threads: 2, segmentBytes: 300, scanner })).toEqual(expected);
  });
}
