import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Rootfs tarballs live outside the clone so fresh clones and CI workspaces reuse them:
 * $SYSBOX_REPRO_CACHE, else the system cache when root, else the user's cache.
 */
export function rootfsCacheDir(
  env: NodeJS.ProcessEnv = process.env,
  uid: number = process.getuid?.() ?? -1,
  home: string = homedir(),
): string {
  if (env.SYSBOX_REPRO_CACHE) return env.SYSBOX_REPRO_CACHE;
  if (uid === 0) return '/var/cache/sysbox-repro';
  return join(env.XDG_CACHE_HOME || join(home, '.cache'), 'sysbox-repro');
}
