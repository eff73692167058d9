import { parseSysboxFsLine } from './parse-line.ts';

// Line shapes as sysbox-fs prints them: logrus's text formatter (time format
// "2006-01-02 15:04:05", or logrus's default RFC 3339, values Go-%q-quoted when needed) or
// JSON formatter, optionally behind journalctl's prefix; the FUSE library's debug lines come
// from Go's standard log.
const T = 'time="2026-12-03 13:57:16"';

describe('parseSysboxFsLine', () => {
  it('reads a trapped umount call and its separate target line', () => {
    expect(
      parseSysboxFsLine(`${T} level=debug msg="Received umount syscall from pid 15720"`),
    ).toMatchObject({ kind: 'umount-received', pid: 15720, level: 'debug', format: 'text' });

    const target = parseSysboxFsLine(
      `${T} level=debug msg="target: /run/systemd/mount-rootfs/sys, flags: 0x8, root: /, cwd: /"`,
    );
    expect(target).toMatchObject({
      kind: 'umount-target',
      target: '/run/systemd/mount-rootfs/sys',
      flags: '0x8',
      root: '/',
      cwd: '/',
    });
  });

  it('tells the pre-fix Ignoring line from the post-fix Rejected line', () => {
    const at = '/run/systemd/mount-rootfs/sys/devices/virtual';
    const ignoring = `msg="Ignoring unmount of sysbox-fs managed submount at ${at}"`;
    const rejected = `msg="Rejected unmount of sysbox-fs managed submount at ${at}"`;

    expect(parseSysboxFsLine(`${T} level=debug ${ignoring}`)).toMatchObject({
      kind: 'submount-ignored',
      target: at,
    });
    expect(parseSysboxFsLine(`${T} level=info ${rejected}`)).toMatchObject({
      kind: 'submount-rejected',
      target: at,
      level: 'info',
    });
  });

  it('reads the JSON formatter', () => {
    const line = JSON.stringify({
      level: 'debug',
      msg: 'Received umount syscall from pid 42',
      time: '2026-12-03 13:57:16',
    });
    expect(parseSysboxFsLine(line)).toMatchObject({
      kind: 'umount-received',
      pid: 42,
      format: 'json',
    });
  });

  it("reads logrus's default RFC 3339 times in text and JSON, at their wall-clock second", () => {
    const received = 'msg="Received umount syscall from pid 42"';
    expect(
      parseSysboxFsLine(`time="2026-12-03T13:57:16+01:00" level=debug ${received}`),
    ).toMatchObject({ kind: 'umount-received', time: '2026-12-03 13:57:16', format: 'text' });
    const json = JSON.stringify({
      level: 'info',
      msg: 'Rejected unmount of sysbox-fs managed submount at /sys/kernel',
      time: '2026-12-03T13:57:16.999999999Z',
    });
    expect(parseSysboxFsLine(json)).toMatchObject({
      kind: 'submount-rejected',
      time: '2026-12-03 13:57:16',
      format: 'json',
    });
  });

  it('strips the journal prefix of the short and short-iso outputs', () => {
    const body = `${T} level=debug msg="Received umount syscall from pid 7"`;
    expect(parseSysboxFsLine(`Dec 03 13:57:16 host1 sysbox-fs[812]: ${body}`)).toMatchObject({
      kind: 'umount-received',
      pid: 7,
      journal: { time: 'Dec 03 13:57:16', host: 'host1', identifier: 'sysbox-fs', pid: 812 },
    });
    const iso = parseSysboxFsLine(`2026-12-03T13:57:16+0000 host1 sysbox-fs[812]: ${body}`);
    expect(iso).toMatchObject({ kind: 'umount-received', journal: { pid: 812 } });
    const isoColon = parseSysboxFsLine(`2026-12-03T13:57:16+01:00 h sysbox-fs[9]: ${body}`);
    expect(isoColon).toMatchObject({ kind: 'umount-received', journal: { pid: 9 } });
  });

  it('strips the prefix of short-precise and of --no-hostname exports', () => {
    const body = `${T} level=debug msg="Received umount syscall from pid 7"`;
    const precise = parseSysboxFsLine(`Dec 03 13:57:16.123456 host1 sysbox-fs[812]: ${body}`);
    expect(precise).toMatchObject({
      kind: 'umount-received',
      journal: { time: 'Dec 03 13:57:16.123456', host: 'host1', identifier: 'sysbox-fs' },
    });
    expect(parseSysboxFsLine(`Dec  3 13:57:16 sysbox-fs[812]: ${body}`)).toMatchObject({
      kind: 'umount-received',
      journal: { time: 'Dec  3 13:57:16', host: null, identifier: 'sysbox-fs', pid: 812 },
    });
    const isoPrecise = `2026-12-03T13:57:16.123456+00:00 sysbox-fs[812]: ${body}`;
    expect(parseSysboxFsLine(isoPrecise)).toMatchObject({ journal: { host: null, pid: 812 } });
  });

  it("counts other programs' journal lines apart, and reads systemd's about the unit", () => {
    const started = parseSysboxFsLine(
      'Dec 03 13:57:10 host1 systemd[1]: Started sysbox-fs.service - sysbox-fs (part of the ' +
        'Sysbox container runtime).',
    );
    expect(started).toMatchObject({
      kind: 'journal-other',
      journal: { identifier: 'systemd', pid: 1 },
      unitChange: { change: 'started', detail: '' },
    });
    const deactivated =
      'Dec 03 13:58:00 host1 systemd[1]: sysbox-fs.service: Deactivated successfully.';
    expect(parseSysboxFsLine(deactivated)).toMatchObject({
      kind: 'journal-other',
      unitChange: null,
    });
    const docker = parseSysboxFsLine('Dec 03 13:57:16 host1 dockerd[1]: level=info msg="x"');
    expect(docker).toMatchObject({ kind: 'journal-other', unitChange: null });
  });

  it("counts other daemons' logrus lines apart in an export without -u", () => {
    const host = 'Dec 03 13:57:16 host1';
    const mgr = `${host} sysbox-mgr[700]: ${T} level=info msg="Edition: Community Edition (CE)"`;
    expect(parseSysboxFsLine(mgr)).toMatchObject({
      kind: 'journal-other',
      journal: { identifier: 'sysbox-mgr', pid: 700 },
      unitChange: null,
    });
    const received = `${T} level=debug msg="Received umount syscall from pid 7"`;
    for (const identifier of ['dockerd', 'sysbox-f', 'sysbox-fsd', 'Sysbox-fs']) {
      const line = `${host} ${identifier}[901]: ${received}`;
      expect(parseSysboxFsLine(line)).toMatchObject({
        kind: 'journal-other',
        journal: { identifier },
      });
    }
    const json = JSON.stringify({ level: 'info', msg: 'x', time: '2026-12-03 13:57:16' });
    expect(parseSysboxFsLine(`${host} containerd[800]: ${json}`).kind).toBe('journal-other');
    const stdlog = `${host} containerd[800]: 2026/12/03 13:57:16 FUSE: <- Getattr`;
    expect(parseSysboxFsLine(stdlog).kind).toBe('journal-other');

    // The same lines without a prefix are a plain log file's, read as sysbox-fs's.
    expect(parseSysboxFsLine(received)).toMatchObject({ kind: 'umount-received', journal: null });
  });

  it("keeps sysbox-fs's unreadable journal lines (a Go panic's) as garbage, to show", () => {
    const panic = 'Dec 03 13:58:00 host1 sysbox-fs[812]: panic: runtime error: index out of range';
    expect(parseSysboxFsLine(panic)).toMatchObject({ kind: 'garbage' });
  });

  it('decodes escaped quotes and other Go escapes inside messages', () => {
    const line = `${T} level=warning msg="failed to open \\"/proc/1/ns\\": no\\tsuch\\x21"`;
    expect(parseSysboxFsLine(line)).toMatchObject({
      kind: 'other',
      level: 'warning',
      message: 'failed to open "/proc/1/ns": no\tsuch!',
    });
  });

  it('reads unquoted messages and messages followed by fields', () => {
    expect(parseSysboxFsLine(`${T} level=info msg=Done.`)).toMatchObject({
      kind: 'other',
      message: 'Done.',
    });
    expect(parseSysboxFsLine(`${T} level=info msg="Ready ..." extra=1`)).toMatchObject({
      kind: 'startup',
      message: 'Ready ...',
    });
  });

  it('recognises start-up lines of old and new versions', () => {
    expect(parseSysboxFsLine(`${T} level=info msg="Initiating sysbox-fs ..."`).kind).toBe(
      'startup',
    );
    expect(parseSysboxFsLine(`${T} level=info msg="Version: 0.6.7"`)).toMatchObject({
      kind: 'startup',
      version: '0.6.7',
    });
    expect(
      parseSysboxFsLine(`${T} level=info msg="Edition: Community Edition (CE)"`),
    ).toMatchObject({ kind: 'startup', edition: 'Community Edition (CE)' });
  });

  it('reads FUSE library lines and journalctl meta lines', () => {
    const fuse =
      '2026/12/03 13:57:16 FUSE: <- Getattr [ID=0x4 Node=0x1 Uid=0 Gid=0 Pid=15720] 0x0 fl=0';
    expect(parseSysboxFsLine(fuse)).toMatchObject({ kind: 'stdlog', fuse: true });
    expect(parseSysboxFsLine('-- No entries --').kind).toBe('journal-meta');
    expect(parseSysboxFsLine('-- Boot 0123456789abcdef --').kind).toBe('journal-meta');
  });

  it.each([
    ['a line cut off mid-message', `${T} level=debug msg="Ignoring unmount of sysbox-fs man`],
    ['a line cut off mid-time', 'time="2026-12-03 13:5'],
    ['a cut JSON line', '{"level":"debug","msg":"Received umount sys'],
    ['an unknown level', `${T} level=verbose msg="x"`],
    ['a bad time', 'time="yesterday" level=info msg="x"'],
    ['an RFC 3339 time without its zone', 'time="2026-12-03T13:57:16" level=info msg="x"'],
    ['JSON with a bad time', '{"level":"info","msg":"x","time":"2026-12-03T13:57:16+0100"}'],
    ['a pid that is not a number', `${T} level=debug msg="Received umount syscall from pid x"`],
    ['JSON without msg', '{"level":"info","time":"2026-12-03 13:57:16"}'],
    ['an empty line', ''],
    ['binary noise', '\u0000\u0001\u00ff\ufffd'],
    ['a journal time without a sender', 'Dec 03 13:57:16 host1: Started sysbox-fs.service.'],
  ])('counts %s as garbage without throwing', (_what, line) => {
    expect(parseSysboxFsLine(line).kind).toBe('garbage');
  });

  it('keeps a target line it cannot split as an ordinary message', () => {
    expect(parseSysboxFsLine(`${T} level=debug msg="target: odd"`).kind).toBe('other');
  });

  it('tolerates CRLF line ends', () => {
    const line = `${T} level=debug msg="Received umount syscall from pid 3"\r`;
    expect(parseSysboxFsLine(line)).toMatchObject({ kind: 'umount-received', pid: 3 });
  });

  it('tolerates a byte-order mark before the first line', () => {
    const line = `\ufeff${T} level=info msg="Ready ..."\r`;
    expect(parseSysboxFsLine(line)).toMatchObject({ kind: 'startup', message: 'Ready ...' });
  });
});
