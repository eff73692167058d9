import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../../..');
const dir = mkdtempSync(path.join(tmpdir(), 'sysbox-repro-analyze-'));

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function analyze(args: string[], input?: string) {
  const result = spawnSync(
    path.join(root, 'node_modules/.bin/node'),
    [path.join(root, 'bin/sysbox-repro.js'), 'analyze', ...args],
    { encoding: 'utf8', ...(input === undefined ? {} : { input }) },
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

// Lines as sysbox-fs prints them at debug level before the fix (logrus text format).
const PRE_FIX = [
  'time="2026-12-03 13:57:16" level=debug msg="Received umount syscall from pid 15720"',
  'time="2026-12-03 13:57:16" level=debug msg="target: /run/systemd/mount-rootfs/sys/devices/virtual, flags: 0x8, root: /, cwd: /"',
  'time="2026-12-03 13:57:16" level=debug msg="Ignoring unmount of sysbox-fs managed submount at /run/systemd/mount-rootfs/sys/devices/virtual"',
].join('\n');
const SYSTEMD = 'Dec 03 13:57:15 host1 systemd[1]: ';
const UNIT = 'sysbox-fs.service - sysbox-fs (part of the Sysbox container runtime)';
// Other daemons log with logrus too; an export without -u has their lines.
const DOCKERD = 'Dec 03 13:57:15 host1 dockerd[901]: ';
const SYSBOX_MGR = 'Dec 03 13:57:15 host1 sysbox-mgr[700]: ';
const info = (message: string) => `time="2026-12-03 13:57:15" level=info msg="${message}"`;

describe('sysbox-repro analyze', () => {
  it('reads a log from stdin and says which behaviour it shows', () => {
    const result = analyze(['-', '--json'], `${PRE_FIX}\n`);

    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      source: 'stdin',
      behaviour: 'pre-fix',
      totals: { umountCalls: 1, ignored: 1, rejected: 0 },
    });
  });

  it('refuses input without a single sysbox-fs line: exit 2', () => {
    const file = path.join(dir, 'not-a-log.txt');
    writeFileSync(file, 'hello\nworld\n');

    const result = analyze([file]);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('has no sysbox-fs log line in 2 lines');
  });

  // No line at all is no evidence either way, from a file, from stdin, or from journalctl.
  it.each([
    ['an empty file', '', 'it is empty'],
    ['a journal export without entries', '-- No entries --\n', 'journalctl found no entries'],
    [
      'a journal export of systemd lines only',
      `${SYSTEMD}Started ${UNIT}.\n`,
      'only 1 line of other programs',
    ],
    [
      "a journal export of other daemons' logrus lines only (no -u)",
      `${DOCKERD}${info('Loading containers: done.')}\n${SYSBOX_MGR}${info('Ready ...')}\n`,
      'only 2 lines of other programs',
    ],
  ])('calls %s inconclusive: exit 125 with why', (_what, content, why) => {
    const file = path.join(dir, 'no-evidence.log');
    writeFileSync(file, content);

    for (const result of [analyze([file]), analyze(['-', '--json'], content)]) {
      expect(result.code).toBe(125);
      expect(result.stderr).toContain(`has no sysbox-fs line to analyse: ${why}`);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it("reads a CRLF journal export with systemd's lines and a cut last line: exit 0", () => {
    const exported = [
      `${SYSTEMD}Started ${UNIT}.`,
      ...PRE_FIX.split('\n').map((line) => `Dec 03 13:57:16 host1 sysbox-fs[812]: ${line}`),
      `${SYSTEMD}sysbox-fs.service: Scheduled restart job, restart counter is at 1.`,
      'Dec 03 13:57:17 host1 sysbox-fs[812]: time="2026-12-03 13:57:17" level=debug msg="Rece',
    ].join('\r\n');

    const result = analyze(['-', '--json'], exported);

    expect(result.code).toBe(0);
    const analysis = JSON.parse(result.stdout);
    expect(analysis).toMatchObject({
      totals: { umountCalls: 1, ignored: 1 },
      kinds: { 'journal-other': 2 },
      garbage: { count: 1 },
      partialLastLine: true,
      unitChanges: [
        { time: 'Dec 03 13:57:15', change: 'started' },
        { change: 'restart-scheduled', detail: 'restart counter is at 1' },
      ],
    });
  });

  it('refuses a folder and a missing file: exit 2', () => {
    expect(analyze([dir]).code).toBe(2);
    expect(analyze([path.join(dir, 'missing.log')]).stderr).toContain('is not readable');
  });
});
