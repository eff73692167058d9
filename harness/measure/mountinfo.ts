import { infrastructure } from '../errors/harness-error.ts';

/** A mounted cgroup hierarchy: where it is, which part of the tree it shows, what it controls. */
export interface CgroupMount {
  version: 1 | 2;
  /** Where the hierarchy is mounted, e.g. /sys/fs/cgroup/cpu,cpuacct. */
  mountPoint: string;
  /** The cgroup the mount shows as its top (not "/" inside a container's cgroup namespace). */
  root: string;
  /** v1 controllers from the super options (e.g. ["cpu", "cpuacct"]); empty for v2. */
  controllers: string[];
}

const V1_CONTROLLERS = new Set(['cpu', 'cpuacct', 'cpuset', 'memory', 'devices', 'freezer']);

/**
 * Cgroup mounts from /proc/self/mountinfo (proc(5)): `id parent major:minor root mount-point
 * options [optional...] - fstype source super-options`. Paths escape blanks as octal (\040).
 */
export function parseCgroupMounts(content: string): CgroupMount[] {
  const mounts: CgroupMount[] = [];
  for (const line of content.split('\n')) {
    if (line === '') continue;
    const fields = line.split(' ');
    const separator = fields.indexOf('-');
    const [root, mountPoint] = [fields[3], fields[4]];
    const [fsType, , superOptions] = fields.slice(separator + 1);
    if (separator < 6 || root === undefined || mountPoint === undefined || !fsType) {
      throw infrastructure(`unexpected /proc/self/mountinfo line: "${line.slice(0, 120)}"`);
    }
    if (fsType !== 'cgroup' && fsType !== 'cgroup2') continue;

    const options = (superOptions ?? '').split(',');
    mounts.push({
      version: fsType === 'cgroup2' ? 2 : 1,
      mountPoint: unescapeOctal(mountPoint),
      root: unescapeOctal(root),
      controllers:
        fsType === 'cgroup2'
          ? []
          : options.filter((o) => V1_CONTROLLERS.has(o) || o.startsWith('name=')),
    });
  }
  return mounts;
}

/** Directory of cgroup `path` (as /proc/<pid>/cgroup spells it) under `mount`, if visible. */
export function cgroupDirectory(mount: CgroupMount, path: string): string | undefined {
  const root = mount.root === '/' ? '' : mount.root;
  if (root !== '' && path !== root && !path.startsWith(`${root}/`)) return undefined;
  const below = path.slice(root.length);
  return below === '' || below === '/' ? mount.mountPoint : `${mount.mountPoint}${below}`;
}

const unescapeOctal = (text: string) =>
  text.replace(/\\([0-7]{3})/g, (_, code: string) => String.fromCharCode(Number.parseInt(code, 8)));
