import { closeSync, openSync, readSync } from 'node:fs';
import type { Bytes } from './bytes.ts';

// Errors that mean "the thing behind this file is gone", not "the harness is broken":
// a reaped process (ESRCH), a removed cgroup (ENODEV), a path that vanished (ENOENT).
const GONE = new Set(['ESRCH', 'ENOENT', 'ENODEV']);

const scratch = Buffer.allocUnsafe(64 * 1024);

/**
 * A kernel file kept open and re-read from offset 0: procfs and cgroupfs regenerate the content
 * on each such read, and one pread is much cheaper than open/read/close per sample. An open
 * /proc/<pid>/ file stays bound to that process, so a recycled pid can never be read by mistake.
 */
export class PinnedFile implements Disposable {
  readonly path: string;
  #fd: number | undefined;

  private constructor(path: string, fd: number) {
    this.path = path;
    this.#fd = fd;
  }

  /** The open descriptor, for the native sampling thread to read; undefined once closed. */
  get fd(): number | undefined {
    return this.#fd;
  }

  /** Opens `path`, or returns undefined when it does not exist (any more). */
  static open(path: string): PinnedFile | undefined {
    try {
      return new PinnedFile(path, openSync(path, 'r'));
    } catch (error) {
      if (isGone(error)) return undefined;
      throw error;
    }
  }

  /**
   * The current content, valid until the next read of any PinnedFile; undefined when the
   * process or cgroup behind it is gone.
   */
  read(): Bytes | undefined {
    if (this.#fd === undefined) return undefined;
    try {
      const length = readSync(this.#fd, scratch, 0, scratch.length, 0);
      return length === 0 ? undefined : scratch.subarray(0, length);
    } catch (error) {
      if (isGone(error)) return undefined;
      throw error;
    }
  }

  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }

  [Symbol.dispose](): void {
    this.close();
  }
}

// Duck-typed: errors from Node's fs are not `instanceof Error` inside Jest's VM contexts.
export const isGone = (error: unknown) =>
  typeof error === 'object' &&
  error !== null &&
  GONE.has(String((error as NodeJS.ErrnoException).code));
