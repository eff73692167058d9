import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HarnessError } from '../harness/errors/harness-error.ts';
import { assertDebootstrapUsable } from './debootstrap.ts';

describe('assertDebootstrapUsable', () => {
  const originalPath = process.env.PATH;
  let emptyDir: string;

  beforeEach(async () => {
    emptyDir = await mkdtemp(join(tmpdir(), 'no-debootstrap-'));
    process.env.PATH = emptyDir;
  });

  afterEach(async () => {
    process.env.PATH = originalPath;
    await rm(emptyDir, { recursive: true, force: true });
  });

  it('says the host is not ready and how to install debootstrap when it is absent', async () => {
    const failure = await assertDebootstrapUsable().catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(HarnessError);
    expect(failure).toMatchObject({ kind: 'host-not-ready', hint: 'apt-get install debootstrap' });
  });
});
