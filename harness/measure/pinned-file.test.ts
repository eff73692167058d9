import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PinnedFile } from './pinned-file.ts';

// Through the native pread where the addon is built, through fs.readSync with
// SYSBOX_REPRO_SAMPLER_CORE=js: both runs of the suite cover one path each.
describe('PinnedFile', () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'sysbox-repro-pinned-'));
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('reads the whole content from offset 0 again on every read', () => {
    const path = join(directory, 'cpuacct.usage');
    writeFileSync(path, '9319074474018\n');
    using file = PinnedFile.open(path);
    expect(Buffer.from(file?.read() ?? []).toString()).toBe('9319074474018\n');
    writeFileSync(path, '9319074474999\n');
    expect(Buffer.from(file?.read() ?? []).toString()).toBe('9319074474999\n');
  });

  it('answers undefined for an empty file and for a process that is gone', async () => {
    const path = join(directory, 'children');
    writeFileSync(path, '');
    using empty = PinnedFile.open(path);
    expect(empty?.read()).toBeUndefined();

    const child = spawn('true');
    using stat = PinnedFile.open(`/proc/${child.pid}/stat`);
    await new Promise((resolve) => child.once('exit', resolve));
    expect(stat?.read()).toBeUndefined();
  });

  it('throws what is not a gone process, naming the file', () => {
    using directoryFile = PinnedFile.open(directory);
    expect(() => directoryFile?.read()).toThrow(/EISDIR/);
  });
});
