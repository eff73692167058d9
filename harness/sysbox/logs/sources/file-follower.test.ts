import { appendFile, mkdtemp, rename, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFileFollower } from './file-follower.ts';

const line = (n: number) =>
  `time="2026-12-03 13:57:16" level=debug msg="Received umount syscall from pid ${n}"\n`;

describe('startFileFollower', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sysbox-repro-follow-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('starts at the end, follows appends, and reads both files across a rename rotation', async () => {
    const path = join(dir, 'sysbox-fs.log');
    await writeFile(path, line(1));
    const seen: string[] = [];
    const follower = await startFileFollower({ path, onLine: (l) => seen.push(l), pollMs: 20 });

    await appendFile(path, line(2) + line(3).slice(0, 20));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await appendFile(path, line(3).slice(20));
    await rename(path, `${path}.1`);
    await writeFile(path, line(4));
    await new Promise((resolve) => setTimeout(resolve, 100));
    // A writer that never reopens keeps appending to the renamed file.
    await appendFile(`${path}.1`, line(5));
    await follower.stop();

    expect(seen.map((l) => l.replace(/.*pid /, '').replace('"', ''))).toEqual(['2', '3', '4', '5']);
    expect(follower.lines).toBe(4);
  });

  it('restarts at 0 after copytruncate and delivers a partial last line at stop', async () => {
    const path = join(dir, 'sysbox-fs.log');
    await writeFile(path, line(1) + line(2));
    const seen: string[] = [];
    await using follower = await startFileFollower({
      path,
      onLine: (l) => seen.push(l),
      pollMs: 20,
    });
    await appendFile(path, line(3));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await truncate(path, 0);
    await appendFile(path, line(6) + line(7).slice(0, 30));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await follower.stop();

    expect(seen).toEqual([line(3).trim(), line(6).trim(), line(7).slice(0, 30)]);
  });
});
