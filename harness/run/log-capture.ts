import type { Evidence } from '../report/schema.ts';
import type { SysboxInstallation } from '../sysbox/installation.ts';
import { UnmountLogAggregator } from '../sysbox/logs/aggregate.ts';
import { startFileFollower } from '../sysbox/logs/sources/file-follower.ts';
import { startJournalSource } from '../sysbox/logs/sources/journal.ts';
import type { LogSource } from '../sysbox/logs/sources/log-source.ts';

/** sysbox-fs's log lines of one scenario, counted as they arrive. */
export interface LogCapture extends AsyncDisposable {
  /** Stops reading and returns the counts for the report; null when nothing could be read. */
  finish(): Promise<Evidence['logs']>;
}

/**
 * Follows sysbox-fs's log for a scenario, wherever the installation sends it (the journal
 * for the packaged units, a file for hand-started daemons or --log). Without Sysbox, or
 * with a destination that cannot be read, there is no capture and the report says so.
 */
export async function startLogCapture(
  installation: SysboxInstallation | null,
  since: Date,
): Promise<LogCapture | null> {
  const setup = installation?.fsLog;
  if (!setup || setup.path === null || setup.destination === 'unknown') return null;

  const aggregator = new UnmountLogAggregator();
  const onLine = (line: string) => aggregator.pushLine(line);
  const source: LogSource =
    setup.destination === 'journal'
      ? startJournalSource({ unit: setup.path, since, onLine })
      : await startFileFollower({ path: setup.path, onLine });
  let finished: Evidence['logs'] | undefined;

  const finish = async (): Promise<Evidence['logs']> => {
    if (finished !== undefined) return finished;
    await source.stop();
    const analysis = aggregator.finish();
    finished = {
      source: source.description,
      ignoringLines: analysis.totals.ignored,
      rejectedLines: analysis.totals.rejected,
      umountCalls: analysis.totals.umountCalls,
      level: setup.level,
    };
    return finished;
  };
  return {
    finish,
    [Symbol.asyncDispose]: async () => {
      await finish();
    },
  };
}
