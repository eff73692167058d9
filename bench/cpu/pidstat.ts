import { execa, type ResultPromise } from 'execa';

/** One pidstat report: CPU of the task and its reaped children between two arrivals. */
export interface PidstatWindow {
  startNs: bigint;
  endNs: bigint;
  cpuSeconds: number;
}

/**
 * Runs `pidstat -h -u -T ALL -p <pid> 1` (sysstat). Its CHILD lines give usr-ms and system-ms
 * of the task and its reaped children per interval; pidstat flushes each report, so the
 * moment a line arrives marks the end of its interval on our monotonic clock.
 */
export function startPidstat(pid: number): { stop(): Promise<PidstatWindow[]> } {
  const windows: PidstatWindow[] = [];
  let previousNs: bigint | undefined;
  let inChildTable = false;
  let pending = '';
  const child: ResultPromise = execa('pidstat', ['-h', '-u', '-T', 'ALL', '-p', String(pid), '1'], {
    buffer: false,
    env: { LC_ALL: 'C' },
  });
  previousNs = process.hrtime.bigint();

  child.stdout?.on('data', (chunk: Buffer) => {
    const arrivedNs = process.hrtime.bigint();
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (line.startsWith('#')) inChildTable = line.includes('usr-ms');
      else if (inChildTable && line.trim() !== '') {
        // Time UID PID usr-ms system-ms guest-ms Command
        const [, , , userMs, systemMs] = line.trim().split(/\s+/);
        if (previousNs !== undefined) {
          windows.push({
            startNs: previousNs,
            endNs: arrivedNs,
            cpuSeconds: (Number(userMs) + Number(systemMs)) / 1000,
          });
        }
        previousNs = arrivedNs;
      }
    }
  });

  return {
    async stop() {
      child.kill('SIGTERM');
      await child.catch(() => undefined);
      // the first report covers pidstat's start-up, not a whole interval
      return windows.slice(1);
    },
  };
}
