import { access, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../harness/log/logger.ts';
import { createBuildDir, sweepAbandonedBuildDirs } from './build-dir.ts';

let cacheDir: string;

beforeEach(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), 'build-dir-'));
});

afterEach(() => rm(cacheDir, { recursive: true, force: true }));

describe('createBuildDir', () => {
  it('makes a scratch dir in the cache dir and removes it with its contents', async () => {
    let path: string;
    {
      await using buildDir = await createBuildDir(cacheDir);
      path = buildDir.path;
      await mkdir(join(path, 'rootfs/etc'), { recursive: true });
      await writeFile(join(path, 'rootfs.tar'), 'partial');
      expect(path.startsWith(join(cacheDir, `.build-${process.pid}-`))).toBe(true);
    }

    await expect(access(path)).rejects.toThrow('ENOENT');
  });
});

describe('sweepAbandonedBuildDirs', () => {
  it('removes scratch dirs of dead builds and keeps live ones and the cache itself', async () => {
    // Above the kernel's pid_max (4194304), so no process can have it.
    const dead = join(cacheDir, '.build-99999999-abc');
    const live = join(cacheDir, `.build-${process.pid}-def`);
    await mkdir(join(dead, 'rootfs'), { recursive: true });
    await mkdir(live);
    await writeFile(join(cacheDir, 'debian-trixie-rootfs.tar'), 'tar');

    await sweepAbandonedBuildDirs(cacheDir, silentLogger);

    expect((await readdir(cacheDir)).sort()).toEqual([
      `.build-${process.pid}-def`,
      'debian-trixie-rootfs.tar',
    ]);
  });
});
