import { Command } from 'commander';
import type { EnsuredImage } from '../../../images/local-images.ts';
import { exitCodeFor } from '../../errors/exit-codes.ts';
import type { CommandAction } from '../main.ts';

interface ImagesFlags {
  rebuild?: boolean;
  json?: boolean;
  debug?: boolean;
}

/** `sysbox-repro images`: builds the local systemd images a run needs, if missing or stale. */
export function imagesCommand(): Command {
  return new Command('images')
    .description('build the local Debian trixie systemd images (debootstrap + docker import)')
    .option('--rebuild', 'bootstrap the rootfs and rebuild the images even if they are current')
    .option('--json', 'print what was done as JSON on stdout; log JSON lines on stderr')
    .option('--debug', 'log each command run')
    .action(async (flags: ImagesFlags) => {
      process.exitCode = exitCodeFor(await imagesAction(flags));
    });
}

export const imagesAction = (async (flags: ImagesFlags) => {
  // Loaded when the command runs, so other commands do not pay for Docker's and pino's modules.
  const { ensureLocalImages, LOCAL_IMAGES } = await import('../../../images/local-images.ts');
  const { createLogger } = await import('../../log/logger.ts');
  const logger = createLogger({ json: flags.json, debug: flags.debug });
  const ensured = await ensureLocalImages(undefined, { logger, rebuild: flags.rebuild });

  if (flags.json) process.stdout.write(`${JSON.stringify(ensured, null, 2)}\n`);
  else {
    for (const image of ensured) {
      process.stdout.write(`${describe(image, LOCAL_IMAGES[image.ref].description)}\n`);
    }
  }
  return 'ok';
}) satisfies CommandAction;

function describe(image: EnsuredImage, description: string): string {
  const what = image.action === 'present' ? 'up to date' : `built in ${image.durationMs} ms`;
  const rootfs = image.rootfs ? ` (${image.rootfs} rootfs)` : '';
  const id = image.imageId.replace('sha256:', '').slice(0, 12);
  return `${image.ref}  ${id}  ${what}${rootfs}  ${description}`;
}
