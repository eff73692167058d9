import { mkdir, mkdtemp, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { maskUnits, prepareRootfsForContainer } from './rootfs-setup.ts';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'rootfs-setup-'));
});

afterEach(() => rm(root, { recursive: true, force: true }));

describe('maskUnits', () => {
  it('links each unit to /dev/null in /etc/systemd/system, replacing an enabled copy', async () => {
    const unitDir = join(root, 'etc/systemd/system');
    await mkdir(unitDir, { recursive: true });
    await writeFile(join(unitDir, 'e2scrub_all.timer'), '[Timer]\n');

    await maskUnits(root, ['e2scrub_reap.service', 'e2scrub_all.timer']);

    expect(await readlink(join(unitDir, 'e2scrub_reap.service'))).toBe('/dev/null');
    expect(await readlink(join(unitDir, 'e2scrub_all.timer'))).toBe('/dev/null');
  });
});

describe('prepareRootfsForContainer', () => {
  beforeEach(async () => {
    for (const dir of [
      'etc',
      'var/lib/dbus',
      'var/cache/apt/archives/partial',
      'var/lib/apt/lists',
    ]) {
      await mkdir(join(root, dir), { recursive: true });
    }
    await writeFile(join(root, 'etc/machine-id'), '4ce82d22474a4f5e8ca77c133df9ea26\n');
    await writeFile(join(root, 'var/lib/dbus/machine-id'), '4ce82d22474a4f5e8ca77c133df9ea26\n');
    await writeFile(join(root, 'var/cache/apt/archives/bash_5.2.37-2+b10_amd64.deb'), 'deb');
    await writeFile(join(root, 'var/lib/apt/lists/deb.debian.org_debian_dists_trixie_Release'), '');
    await writeFile(join(root, 'etc/hostname'), 'build-host\n');
  });

  it('leaves an empty machine-id, so every container gets its own without a first boot', async () => {
    await prepareRootfsForContainer(root);

    expect(await readFile(join(root, 'etc/machine-id'), 'utf8')).toBe('');
    await expect(readFile(join(root, 'var/lib/dbus/machine-id'))).rejects.toThrow('ENOENT');
  });

  it('masks the gettys and apt timers, and leaves e2scrub alone', async () => {
    await prepareRootfsForContainer(root);

    const masked = await readdir(join(root, 'etc/systemd/system'));
    expect(masked.sort()).toEqual([
      'apt-daily-upgrade.timer',
      'apt-daily.timer',
      'console-getty.service',
      'getty.target',
    ]);
  });

  it('drops downloaded packages and indexes', async () => {
    await prepareRootfsForContainer(root);

    expect(await readdir(join(root, 'var/cache/apt/archives'))).toEqual(['partial']);
    expect(await readdir(join(root, 'var/lib/apt/lists'))).toEqual([]);
  });
});
