import { execa, type ResultPromise } from 'execa';
import { LineSplitter } from '../line-splitter.ts';
import type { LogSource, OnLine } from './log-source.ts';

export interface JournalSourceOptions {
  unit?: string;
  /** Start of the run window (wall clock). */
  since: Date;
  onLine: OnLine;
  /** Time left for journald to hand over the window's last lines before following stops. */
  drainMs?: number;
  journalctl?: string;
}

/**
 * journalctl's arguments for a window: `short-iso` output, whose prefix carries year and
 * zone (parsed by the line parser), from `@<epoch seconds>` on, following while it lasts.
 */
export function journalArgs(unit: string, since: Date, follow: boolean): string[] {
  const epochSeconds = Math.floor(since.getTime() / 1000);
  const args = ['--unit', unit, '--since', `@${epochSeconds}`, '--output', 'short-iso'];
  args.push('--no-pager', '--quiet');
  if (follow) args.push('--follow');
  return args;
}

/** Follows `journalctl -u sysbox-fs` from the window's start until stopped. */
export function startJournalSource(options: JournalSourceOptions): LogSource {
  const unit = options.unit ?? 'sysbox-fs.service';
  const args = journalArgs(unit, options.since, true);
  const splitter = new LineSplitter((line) => {
    source.lines++;
    options.onLine(line);
  });
  const journalctl: ResultPromise = execa(options.journalctl ?? 'journalctl', args, {
    reject: false,
    stdin: 'ignore',
    stderr: 'pipe',
    buffer: false,
    env: { LC_ALL: 'C', SYSTEMD_COLORS: '0' },
  });
  journalctl.stdout?.on('data', (chunk: Buffer) => splitter.push(chunk));

  let stopping: Promise<void> | null = null;
  const source = {
    description: `journalctl ${args.join(' ')}`,
    lines: 0,
    stop(): Promise<void> {
      stopping ??= (async () => {
        await new Promise((resolve) => setTimeout(resolve, options.drainMs ?? 500));
        journalctl.kill('SIGTERM');
        await journalctl;
        splitter.end();
      })();
      return stopping;
    },
    [Symbol.asyncDispose](): Promise<void> {
      return source.stop();
    },
  };
  return source;
}
