import { stat } from 'node:fs/promises';

export interface DeviceNodeCheck {
  path: string;
  present: boolean;
  characterDevice: boolean;
  major: number | null;
  minor: number | null;
  /** e.g. "0666". */
  mode: string | null;
  /** Sysbox maps passed-in devices to nobody:nogroup inside: they need rw for "others". */
  othersReadWrite: boolean;
  problem: string | null;
  fix: string | null;
}

// Linux's dev_t split (see makedev(3)): 12 bits of major and 20 of minor, interleaved.
export function splitDevice(rdev: bigint): { major: number; minor: number } {
  const major = Number(((rdev >> 8n) & 0xfffn) | ((rdev >> 32n) & ~0xfffn));
  const minor = Number((rdev & 0xffn) | ((rdev >> 12n) & ~0xffn));
  return { major, minor };
}

const KNOWN_NODES: Record<string, { major: number; minor: number }> = {
  '/dev/dri/renderD128': { major: 226, minor: 128 },
};

export async function checkDeviceNode(path: string): Promise<DeviceNodeCheck> {
  let stats: Awaited<ReturnType<typeof statBig>>;
  try {
    stats = await statBig(path);
  } catch {
    const known = KNOWN_NODES[path];
    return {
      path,
      present: false,
      characterDevice: false,
      major: null,
      minor: null,
      mode: null,
      othersReadWrite: false,
      problem: `${path} does not exist`,
      fix: known
        ? `load its driver, or for plumbing only: mknod -m 666 ${path} c ${known.major} ${known.minor}`
        : `load the driver that provides ${path}, or drop it from the scenario`,
    };
  }
  const characterDevice = stats.isCharacterDevice();
  const { major, minor } = splitDevice(stats.rdev);
  const permissions = Number(stats.mode & 0o7777n);
  const othersReadWrite = (permissions & 0o006) === 0o006;
  let problem: string | null = null;
  let fix: string | null = null;
  if (!characterDevice) {
    problem = `${path} is not a character device`;
    fix = `pass the path of a character device node instead of ${path}`;
  } else if (!othersReadWrite) {
    problem = `${path} is not readable and writable by others (mode ${octal(permissions)})`;
    fix = `chmod o+rw ${path}`;
  }
  return {
    path,
    present: true,
    characterDevice,
    major: characterDevice ? major : null,
    minor: characterDevice ? minor : null,
    mode: octal(permissions),
    othersReadWrite,
    problem,
    fix,
  };
}

function statBig(path: string) {
  return stat(path, { bigint: true });
}

function octal(mode: number): string {
  return mode.toString(8).padStart(4, '0');
}
