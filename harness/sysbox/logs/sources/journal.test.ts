import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { analyzeStream } from '../analyze-stream.ts';
import { debugLogSeconds } from '../fixtures/generate-debug-log.ts';
import { journalArgs, startJournalSource } from './journal.ts';

describe('journalArgs', () => {
  it('asks for the unit from the window start, short-iso, following', () => {
    expect(journalArgs('sysbox-fs.service', new Date('2026-12-03T13:57:16.900Z'), true)).toEqual([
      '--unit',
      'sysbox-fs.service',
      '--since',
      '@1796306236', // date -u -d 2026-12-03T13:57:16Z +%s
      '--output',
      'short-iso',
      '--no-pager',
      '--quiet',
      '--follow',
    ]);
  });
});

describe('journal exports', () => {
  // journalctl's default `short` output of sysbox-fs at debug level, built from the documented
  // line shapes (no Sysbox host here to capture one from).
  it('analyses a journal export with prefixes and meta lines', async () => {
    const generator = debugLogSeconds({
      start: '2026-12-03 13:57:16',
      pids: [15720],
      loopsPerSecond: 40,
      format: 'text',
      journalHost: 'ci-host',
      sysboxFsPid: 812,
    });
    let text = '-- Logs begin at Thu 2026-12-03 13:00:00 UTC. --\n';
    for (let second = 0; second < 8; second++) text += generator.next().value;
    const analysis = await analyzeStream(Readable.from([text]));

    expect(analysis.garbage.count).toBe(0);
    expect(analysis.kinds['journal-meta']).toBe(1);
    expect(analysis.formats.journalPrefixed).toBe(analysis.lines - 1);
    expect(analysis.totals).toMatchObject({ umountCalls: 640, ignored: 320 });
    expect(analysis.storms).toHaveLength(1);
    expect(analysis.storms[0]).toMatchObject({ durationSeconds: 8, pids: [15720] });
  });
});

describe('startJournalSource', () => {
  // No journal here: a script that prints journal-shaped lines and then waits stands in for
  // journalctl, to check that lines stream while it runs and that stop() ends it.
  it('streams the follower’s lines and stops it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sysbox-repro-journal-'));
    const fake = join(dir, 'journalctl');
    const prefix = '2026-12-03T13:57:16+0000 host sysbox-fs[812]: ';
    const body = 'time="2026-12-03 13:57:16" level=debug msg="Received umount syscall from pid 9"';
    await writeFile(
      fake,
      `#!/bin/sh\necho '${prefix}${body}'\nprintf '${prefix}cut'\nexec sleep 30\n`,
    );
    await chmod(fake, 0o755);
    try {
      const lines: string[] = [];
      const source = startJournalSource({
        since: new Date(),
        onLine: (line) => lines.push(line),
        drainMs: 300,
        journalctl: fake,
      });
      await source.stop();

      expect(source.description).toContain('--unit sysbox-fs.service');
      expect(lines).toEqual([`${prefix}${body}`, `${prefix}cut`]);
      expect(source.lines).toBe(2);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
