/**
 * logrus's levels (`warning`, not `warn`), least to most severe; their positions index
 * per-level counters.
 */
export const LOGRUS_LEVEL_NAMES = [
  'trace',
  'debug',
  'info',
  'warning',
  'error',
  'fatal',
  'panic',
] as const;
export type LogrusLevel = (typeof LOGRUS_LEVEL_NAMES)[number];

/** The `Mon DD HH:MM:SS host ident[pid]: ` (or short-iso) prefix journalctl adds. */
export interface JournalPrefix {
  time: string;
  /** null in a `journalctl --no-hostname` export. */
  host: string | null;
  identifier: string;
  pid: number;
}

interface LogrusFields {
  /**
   * The second it was logged in, `YYYY-MM-DD HH:MM:SS` in sysbox-fs's local time, whether
   * logged so or in RFC 3339 (see logrus-time.ts).
   */
  time: string;
  level: LogrusLevel;
  format: 'text' | 'json';
  journal: JournalPrefix | null;
}

/** One line of sysbox-fs output, classified by what it says about unmounts. */
export type SysboxFsRecord =
  /** Debug: a trapped umount2 call; its target follows on a separate line. */
  | (LogrusFields & { kind: 'umount-received'; pid: number })
  | (LogrusFields & {
      kind: 'umount-target';
      target: string;
      flags: string;
      root: string;
      cwd: string;
    })
  /** Debug, up to 0.6.4: a fake success for an emulated submount. */
  | (LogrusFields & { kind: 'submount-ignored'; target: string })
  /** Info, from 0.6.5: EINVAL for an emulated submount. */
  | (LogrusFields & { kind: 'submount-rejected'; target: string })
  /** Start-up lines; version and edition only from 0.6.7 on. */
  | (LogrusFields & { kind: 'startup'; message: string; version?: string; edition?: string })
  | (LogrusFields & { kind: 'other'; message: string })
  /** Go standard-library log lines (the FUSE library's debug output is one). */
  | { kind: 'stdlog'; time: string; message: string; fuse: boolean; journal: JournalPrefix | null }
  /** journalctl's own lines such as `-- No entries --` or `-- Boot <id> --`. */
  | { kind: 'journal-meta'; text: string }
  /**
   * A journal line of another program than sysbox-fs: systemd's own lines about the unit
   * (which `journalctl -u` shows too), or any daemon's in an export without -u, logrus lines
   * of dockerd or sysbox-mgr included; `unitChange` when systemd says the unit started,
   * stopped, failed…
   */
  | { kind: 'journal-other'; journal: JournalPrefix; unitChange: UnitChange | null }
  | { kind: 'garbage'; reason: string; line: string };

/** What systemd logs about sysbox-fs.service that matters next to a storm. */
export type UnitChangeKind =
  | 'started'
  | 'stopping'
  | 'stopped'
  | 'start-failed'
  | 'main-exited'
  | 'failed'
  | 'restart-scheduled'
  | 'cpu-consumed';

export interface UnitChange {
  change: UnitChangeKind;
  /** What the message adds, e.g. "code=killed, status=9/KILL" or "1min 2.345s"; may be ''. */
  detail: string;
}

export type SysboxFsRecordKind = SysboxFsRecord['kind'];

export const LOGRUS_LEVELS: ReadonlySet<string> = new Set(LOGRUS_LEVEL_NAMES);
