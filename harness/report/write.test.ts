import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { prepareReportsDir } from './write.ts';

describe('reports folder', () => {
  it('is created when missing', async () => {
    const parent = await mkdtemp(path.join(tmpdir(), 'reports-'));

    await expect(prepareReportsDir(path.join(parent, 'a', 'b'))).resolves.toBeUndefined();
    await rm(parent, { recursive: true, force: true });
  });

  it('may not live on a kernel pseudo-filesystem', async () => {
    await expect(prepareReportsDir('/proc/nope')).rejects.toThrow(
      'cannot write reports under /proc: /proc/nope',
    );
  });

  it('names the folder and the reason when it cannot be written', async () => {
    const parent = await mkdtemp(path.join(tmpdir(), 'reports-'));
    // Tests run as root, which ignores mode bits: a folder below a file cannot be made.
    const file = path.join(parent, 'not-a-folder');
    await writeFile(file, '');

    await expect(prepareReportsDir(path.join(file, 'x'))).rejects.toThrow(
      `cannot write reports to ${path.join(file, 'x')}: ENOTDIR`,
    );
    await rm(parent, { recursive: true, force: true });
  });
});
