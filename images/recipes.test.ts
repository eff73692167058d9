import {
  DEFAULT_DEBIAN_MIRROR,
  debianMirror,
  isLocalImage,
  LOCAL_IMAGES,
  SYSTEMD_TRIXIE,
  SYSTEMD_TRIXIE_MASKED,
} from './recipes.ts';

describe('local image recipes', () => {
  it('knows exactly the two trixie images', () => {
    expect(Object.keys(LOCAL_IMAGES)).toEqual([SYSTEMD_TRIXIE, SYSTEMD_TRIXIE_MASKED]);
    expect(isLocalImage('sysbox-repro/systemd-trixie:latest')).toBe(true);
    expect(isLocalImage('sysbox-repro/ubuntu-noble-systemd:latest')).toBe(false);
    expect(isLocalImage('constructor')).toBe(false);
  });

  it('masks both e2scrub units in the workaround image only, on the same rootfs', () => {
    const plain = LOCAL_IMAGES[SYSTEMD_TRIXIE];
    const masked = LOCAL_IMAGES[SYSTEMD_TRIXIE_MASKED];

    expect(plain.maskedUnits).toEqual([]);
    expect([...masked.maskedUnits].sort()).toEqual(['e2scrub_all.timer', 'e2scrub_reap.service']);
    expect(masked.rootfs).toBe(plain.rootfs);
    expect(masked.base).toBe(SYSTEMD_TRIXIE);
  });

  it('takes the mirror from SYSBOX_REPRO_DEBIAN_MIRROR when set', () => {
    expect(debianMirror({})).toBe(DEFAULT_DEBIAN_MIRROR);
    expect(debianMirror({ SYSBOX_REPRO_DEBIAN_MIRROR: 'http://127.0.0.1:3142/debian' })).toBe(
      'http://127.0.0.1:3142/debian',
    );
  });
});
