import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkDeviceNode, splitDevice } from './devices.ts';

describe('checkDeviceNode', () => {
  it('reads a real character device: /dev/null is 1:3 and rw for all', async () => {
    expect(await checkDeviceNode('/dev/null')).toMatchObject({
      present: true,
      characterDevice: true,
      major: 1,
      minor: 3,
      mode: '0666',
      othersReadWrite: true,
      problem: null,
    });
  });

  it('says what is wrong with a missing node, a regular file and a narrow mode', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sysbox-repro-devices-'));
    try {
      const file = join(dir, 'not-a-device');
      await writeFile(file, '', { mode: 0o600 });

      expect(await checkDeviceNode(join(dir, 'missing'))).toMatchObject({
        present: false,
        problem: expect.stringContaining('does not exist'),
      });
      expect(await checkDeviceNode(file)).toMatchObject({
        present: true,
        characterDevice: false,
        problem: expect.stringContaining('not a character device'),
      });
      const render = await checkDeviceNode('/dev/dri/renderD128');
      if (!render.present) expect(render.fix).toContain('c 226 128');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('splits dev_t like makedev(3)', () => {
    expect(splitDevice(0x103n)).toEqual({ major: 1, minor: 3 });
    expect(splitDevice(0xe280n)).toEqual({ major: 226, minor: 128 });
    // glibc's makedev(300, 70000): minor's high bits sit above the 12 bits of major.
    expect(splitDevice(0x11112c70n)).toEqual({
      major: 300,
      minor: 70000,
    });
  });
});
