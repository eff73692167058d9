import { rootfsCacheDir } from './cache-dir.ts';

describe('rootfsCacheDir', () => {
  it('prefers SYSBOX_REPRO_CACHE', () => {
    expect(rootfsCacheDir({ SYSBOX_REPRO_CACHE: '/srv/cache' }, 0, '/root')).toBe('/srv/cache');
  });

  it('uses the system cache for root', () => {
    expect(rootfsCacheDir({}, 0, '/root')).toBe('/var/cache/sysbox-repro');
  });

  it("uses the user's cache otherwise", () => {
    expect(rootfsCacheDir({}, 1000, '/home/ci')).toBe('/home/ci/.cache/sysbox-repro');
    expect(rootfsCacheDir({ XDG_CACHE_HOME: '/tmp/xdg' }, 1000, '/home/ci')).toBe(
      '/tmp/xdg/sysbox-repro',
    );
  });
});
