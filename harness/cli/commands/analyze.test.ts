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

  it('refuses a folder and a missing file: exit 2', () => {
    expect(analyze([dir]).code).toBe(2);
    expect(analyze([path.join(dir, 'missing.log')]).stderr).toContain('is not readable');
  });
});
