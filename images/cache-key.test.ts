import { imageCacheKey, rootfsCacheKey } from './cache-key.ts';

const trixie = {
  suite: 'trixie',
  packages: ['systemd', 'systemd-sysv', 'dbus', 'e2fsprogs'],
  mirror: 'http://deb.debian.org/debian',
  recipeVersion: 1,
};

describe('rootfsCacheKey', () => {
  // Golden made with: printf '%s' '{"suite":"trixie","packages":["dbus","e2fsprogs",
  // "systemd","systemd-sysv"],"mirror":"http://deb.debian.org/debian","recipeVersion":1}'
  // | sha256sum
  it('is the sha256 of the suite, sorted packages, mirror and recipe version', () => {
    expect(rootfsCacheKey(trixie)).toBe(
      'ff88929beb4f3fbe0a7149696425ffd2af2c6cce288ab5a730b28ddc57c84c29',
    );
  });

  it('does not depend on the order packages are listed in', () => {
    const reversed = { ...trixie, packages: [...trixie.packages].reverse() };

    expect(rootfsCacheKey(reversed)).toBe(rootfsCacheKey(trixie));
  });

  it.each([
    ['suite', { suite: 'bookworm' }],
    ['packages', { packages: [...trixie.packages, 'udev'] }],
    ['mirror', { mirror: 'http://127.0.0.1:3142/debian' }],
    ['recipe version', { recipeVersion: 2 }],
  ])('changes with the %s', (_, change) => {
    expect(rootfsCacheKey({ ...trixie, ...change })).not.toBe(rootfsCacheKey(trixie));
  });
});

describe('imageCacheKey', () => {
  const rootfsKey = 'ff88929beb4f3fbe0a7149696425ffd2af2c6cce288ab5a730b28ddc57c84c29';

  // Golden made with: printf '%s' '{"rootfsKey":"ff88...2c29","maskedUnits":
  // ["e2scrub_all.timer","e2scrub_reap.service"]}' | sha256sum (full key spelled out)
  it('is the sha256 of the rootfs key and the sorted masked units', () => {
    expect(imageCacheKey(rootfsKey, ['e2scrub_reap.service', 'e2scrub_all.timer'])).toBe(
      '3f266bf0ca933e9298b7cbb67b6bbca48aa2137566697b8f436fc0d07ee2907d',
    );
  });

  it('tells the plain image from the masked one', () => {
    expect(imageCacheKey(rootfsKey, [])).not.toBe(
      imageCacheKey(rootfsKey, ['e2scrub_reap.service']),
    );
  });
});
