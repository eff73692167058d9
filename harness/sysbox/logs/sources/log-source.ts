/**
 * A source of sysbox-fs log lines for one run window: started at the window's beginning,
 * stopped (or disposed) at its end, after which every line of the window has been delivered.
 */
export interface LogSource extends AsyncDisposable {
  /** What is read, e.g. "journalctl -u sysbox-fs.service" or "file /var/log/sysbox-fs.log". */
  readonly description: string;
  /** Lines delivered so far. */
  readonly lines: number;
  /** Stops following, delivers what is left, and resolves when done. Idempotent. */
  stop(): Promise<void>;
}

export type OnLine = (line: string) => void;
