import { execa } from 'execa';
import { dockerClient } from '../harness/runtime/docker-client.ts';
import { inspectImage } from './docker-image.ts';
import { ensureLocalImage, IMAGE_LABELS, LOCAL_IMAGES } from './local-images.ts';
import { SYSTEMD_TRIXIE, SYSTEMD_TRIXIE_MASKED } from './recipes.ts';

const docker = dockerClient();

/** Resolves links inside the image without booting it; the container is removed after. */
async function readlinksIn(image: string, paths: readonly string[]): Promise<string[]> {
  const name = `sysbox-repro-readlink-${process.pid}-${Date.now()}`;
  try {
    const { stdout } = await execa('docker', [
      'run',
      '--rm',
      '--name',
      name,
      '--network',
      'none',
      '--label',
      'sysbox-repro=1',
      '--entrypoint',
      '/bin/readlink',
      image,
      '-f',
      ...paths,
    ]);
    return stdout.split('\n');
  } finally {
    await execa('docker', ['rm', '--force', name], { reject: false });
  }
}

describe('local trixie images (built by the global setup)', () => {
  it.each(Object.keys(LOCAL_IMAGES))(
    '%s runs /sbin/init, stops with SIGRTMIN+3 and labels its recipe',
    async (ref) => {
      const image = await inspectImage(docker, ref);

      expect(image?.entrypoint).toEqual(['/sbin/init']);
      expect(image?.stopSignal).toBe('SIGRTMIN+3');
      expect(image?.labels[IMAGE_LABELS.suite]).toBe('trixie');
      expect(image?.labels[IMAGE_LABELS.packages]).toBe('dbus,e2fsprogs,systemd,systemd-sysv');
      expect(image?.labels[IMAGE_LABELS.systemdVersion]).toMatch(/^257\./);
    },
  );

  it('leaves e2scrub enabled in the plain image', async () => {
    const links = await readlinksIn(SYSTEMD_TRIXIE, [
      '/sbin/init',
      '/etc/systemd/system/multi-user.target.wants/e2scrub_reap.service',
      '/etc/systemd/system/timers.target.wants/e2scrub_all.timer',
    ]);

    expect(links).toEqual([
      '/usr/lib/systemd/systemd',
      '/usr/lib/systemd/system/e2scrub_reap.service',
      '/usr/lib/systemd/system/e2scrub_all.timer',
    ]);
  });

  it('masks e2scrub_reap.service and e2scrub_all.timer in the masked image', async () => {
    const links = await readlinksIn(SYSTEMD_TRIXIE_MASKED, [
      '/etc/systemd/system/e2scrub_reap.service',
      '/etc/systemd/system/e2scrub_all.timer',
    ]);

    expect(links).toEqual(['/dev/null', '/dev/null']);
  });

  it('skips the build when an image with the current cache key exists', async () => {
    const ensured = await ensureLocalImage(SYSTEMD_TRIXIE_MASKED, { docker });
    const image = await inspectImage(docker, SYSTEMD_TRIXIE_MASKED);

    expect(ensured.action).toBe('present');
    expect(ensured.imageId).toBe(image?.id);
    expect(image?.labels[IMAGE_LABELS.cacheKey]).toBe(ensured.cacheKey);
  });
});
