/** Where debootstrap fetches packages unless SYSBOX_REPRO_DEBIAN_MIRROR says otherwise. */
export const DEFAULT_DEBIAN_MIRROR = 'http://deb.debian.org/debian';

/**
 * Bump when the steps that turn packages into a rootfs or an image change, so caches and
 * images made by the old steps are recognised as stale.
 */
export const RECIPE_VERSION = 1;

/** What debootstrap installs: the suite and the packages on top of the minimal base. */
export interface RootfsRecipe {
  readonly suite: string;
  readonly packages: readonly string[];
}

export interface LocalImageRecipe {
  readonly ref: LocalImageRef;
  readonly rootfs: RootfsRecipe;
  /** Units linked to /dev/null in /etc/systemd/system on top of the plain image. */
  readonly maskedUnits: readonly string[];
  /** The local image this one is layered on, if any. */
  readonly base?: LocalImageRef;
  readonly description: string;
}

/**
 * systemd 257 runs the private-sysfs unmount sequence that loops under Sysbox <= 0.6.4,
 * like Ubuntu Noble's 255; e2fsprogs brings e2scrub_reap.service, which does it at boot.
 */
const TRIXIE_SYSTEMD: RootfsRecipe = {
  suite: 'trixie',
  packages: ['systemd', 'systemd-sysv', 'dbus', 'e2fsprogs'],
};

export const SYSTEMD_TRIXIE = 'sysbox-repro/systemd-trixie:latest';
export const SYSTEMD_TRIXIE_MASKED = 'sysbox-repro/systemd-trixie-masked:latest';

export type LocalImageRef = typeof SYSTEMD_TRIXIE | typeof SYSTEMD_TRIXIE_MASKED;

/** The images the harness builds itself, base images first. */
export const LOCAL_IMAGES: Readonly<Record<LocalImageRef, LocalImageRecipe>> = {
  [SYSTEMD_TRIXIE]: {
    ref: SYSTEMD_TRIXIE,
    rootfs: TRIXIE_SYSTEMD,
    maskedUnits: [],
    description: 'Debian trixie + systemd 257, e2scrub enabled (triggers the storm at boot)',
  },
  [SYSTEMD_TRIXIE_MASKED]: {
    ref: SYSTEMD_TRIXIE_MASKED,
    rootfs: TRIXIE_SYSTEMD,
    maskedUnits: ['e2scrub_reap.service', 'e2scrub_all.timer'],
    base: SYSTEMD_TRIXIE,
    description: 'the same with e2scrub_reap.service and e2scrub_all.timer masked (workaround)',
  },
};

export function isLocalImage(ref: string): ref is LocalImageRef {
  return Object.hasOwn(LOCAL_IMAGES, ref);
}

export function debianMirror(env: NodeJS.ProcessEnv = process.env): string {
  return env.SYSBOX_REPRO_DEBIAN_MIRROR || DEFAULT_DEBIAN_MIRROR;
}
