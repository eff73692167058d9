import { mkdir, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Units a container never needs: gettys have no terminal to serve, and the apt timers would
 * try a network that is not there in the middle of a measurement.
 */
export const UNITS_MASKED_FOR_CONTAINERS = [
  'getty.target',
  'console-getty.service',
  'apt-daily.timer',
  'apt-daily-upgrade.timer',
] as const;

/** Masks units the way `systemctl mask` does: a link to /dev/null in /etc/systemd/system. */
export async function maskUnits(root: string, units: readonly string[]): Promise<void> {
  const unitDir = join(root, 'etc/systemd/system');
  await mkdir(unitDir, { recursive: true });
  for (const unit of units) {
    const link = join(unitDir, unit);
    await rm(link, { force: true });
    await symlink('/dev/null', link);
  }
}

/**
 * Makes a freshly bootstrapped tree fit to boot systemd as PID 1 in a container and small:
 * an empty machine-id is not a first boot (no systemd-firstboot), and systemd mounts a
 * transient id over it; downloaded packages and indexes are dropped.
 */
export async function prepareRootfsForContainer(root: string): Promise<void> {
  await rm(join(root, 'etc/machine-id'), { force: true });
  await writeFile(join(root, 'etc/machine-id'), '', { mode: 0o444 });
  await rm(join(root, 'var/lib/dbus/machine-id'), { force: true });
  await maskUnits(root, UNITS_MASKED_FOR_CONTAINERS);

  await emptyDirectory(join(root, 'var/cache/apt/archives'), ['partial', 'lock']);
  await emptyDirectory(join(root, 'var/lib/apt/lists'), ['partial', 'lock']);
  await rm(join(root, 'var/cache/apt/pkgcache.bin'), { force: true });
  await rm(join(root, 'var/cache/apt/srcpkgcache.bin'), { force: true });
}

async function emptyDirectory(dir: string, keep: readonly string[]): Promise<void> {
  const entries = await readdir(dir).catch(() => [] as string[]);
  for (const entry of entries) {
    if (!keep.includes(entry)) await rm(join(dir, entry), { recursive: true, force: true });
  }
}
