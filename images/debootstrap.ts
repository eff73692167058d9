import { execa } from 'execa';
import { HarnessError, hostNotReady } from '../harness/errors/harness-error.ts';
import type { Logger } from '../harness/log/logger.ts';
import type { RootfsRecipe } from './recipes.ts';
import { prepareRootfsForContainer } from './rootfs-setup.ts';

/** Fails with what to install (or how to run) when this host cannot run debootstrap. */
export async function assertDebootstrapUsable(): Promise<void> {
  try {
    await execa('debootstrap', ['--version']);
  } catch (error) {
    throw hostNotReady(
      `debootstrap not usable: ${(error as Error).message}`,
      'apt-get install debootstrap',
    );
  }
  if (process.getuid?.() !== 0) {
    throw hostNotReady(
      'debootstrap needs root to build the local systemd images',
      'run `sudo npm run images` once; later runs reuse the images',
    );
  }
}

export interface BootstrappedRootfs {
  readonly systemdVersion: string;
}

/** Installs the recipe's suite and packages into `root` and prepares it for containers. */
export async function bootstrapRootfs(
  recipe: RootfsRecipe,
  mirror: string,
  root: string,
  logger: Logger,
): Promise<BootstrappedRootfs> {
  const args = [
    '--variant=minbase',
    `--include=${[...recipe.packages].sort().join(',')}`,
    recipe.suite,
    root,
    mirror,
  ];
  logger.debug({ kind: 'exec', argv: ['debootstrap', ...args] }, 'debootstrap');
  try {
    await execa('debootstrap', args, { all: true });
  } catch (error) {
    throw new HarnessError(
      'infrastructure',
      `debootstrap of ${recipe.suite} from ${mirror} failed: ${lastLines(error)}`,
      { cause: error, hint: 'check that the mirror is reachable (SYSBOX_REPRO_DEBIAN_MIRROR)' },
    );
  }

  await prepareRootfsForContainer(root);
  const { stdout } = await execa('dpkg-query', [
    `--admindir=${root}/var/lib/dpkg`,
    '--show',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's field syntax
    '--showformat=${Version}',
    'systemd',
  ]);
  return { systemdVersion: stdout.trim() };
}

/** Packs `root` as a tarball `docker import` accepts, owners kept as numbers. */
export async function packRootfs(root: string, tarball: string): Promise<void> {
  await execa('tar', [
    '--create',
    '--file',
    tarball,
    '--directory',
    root,
    '--numeric-owner',
    '--one-file-system',
    '--xattrs',
    '--xattrs-include=security.capability',
    '.',
  ]);
}

function lastLines(error: unknown): string {
  const output = (error as { all?: string }).all ?? (error as Error).message;
  return output.trim().split('\n').slice(-3).join(' | ');
}
