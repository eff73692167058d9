import { readdirSync } from 'node:fs';
import { readInteger } from './bytes.ts';
import { PinnedFile } from './pinned-file.ts';
import type { OwnRunTime } from './process-cpu-clock.ts';

/**
 * The run time of a process's live threads to the nanosecond, from each thread's schedstat.
 * /proc/<pid>/stat truncates utime and stime to a tick each, so a window's delta through it
 * can be off by up to two ticks; this cannot. Threads that have exited are not in it: the
 * caller keeps whichever of the two totals is larger.
 */
export class ThreadRunTime implements OwnRunTime {
  readonly description = "its threads' schedstat";
  readonly #taskDirectory: string;
  readonly #threads = new Map<number, PinnedFile>();

  constructor(procRoot: string, pid: number) {
    this.#taskDirectory = `${procRoot}/${pid}/task`;
  }

  /** Seconds run by the live threads; `threadCount` is stat's, to notice new threads. */
  read(threadCount: number): number | undefined {
    if (threadCount !== this.#threads.size && !this.#relist()) return undefined;
    let runNs = this.#sum();
    // A thread exited since the listing: list again, once.
    if (runNs === undefined && this.#relist()) runNs = this.#sum();
    return runNs === undefined ? undefined : runNs / 1e9;
  }

  #sum(): number | undefined {
    let runNs = 0;
    for (const schedstat of this.#threads.values()) {
      const bytes = schedstat.read();
      if (bytes === undefined) return undefined;
      runNs += readInteger(bytes, 0);
    }
    return Number.isNaN(runNs) ? undefined : runNs;
  }

  /** Opens every listed thread's schedstat; false when the process is gone. */
  #relist(): boolean {
    this[Symbol.dispose]();
    let tids: string[];
    try {
      tids = readdirSync(this.#taskDirectory);
    } catch {
      return false;
    }
    for (const tid of tids) {
      const schedstat = PinnedFile.open(`${this.#taskDirectory}/${tid}/schedstat`);
      if (schedstat) this.#threads.set(Number(tid), schedstat);
    }
    return this.#threads.size > 0;
  }

  [Symbol.dispose](): void {
    for (const schedstat of this.#threads.values()) schedstat.close();
    this.#threads.clear();
  }
}
