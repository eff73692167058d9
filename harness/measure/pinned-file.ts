import { closeSync, openSync, readSync } from 'node:fs';
import { getSystemErrorName } from 'node:util';
import type { Bytes } from './bytes.ts';
import { samplerCore } from './native-core.ts';

// Errors that mean "the thing behind this file is gone", not "the harness is broken":
// a reaped process (ESRCH), a removed cgroup (ENODEV), a path that vanished (ENOENT).
const GONE = new Set(['ESRCH', 'ENOENT', 'ENODEV']);

const scratch = Buffer.allocUnsafe(64 * 1024);

/**
 * One pread through the native part where it is built: a sampling round re-reads several
 * files, and fs.readSync adds argument checks, libuv and, for a gone process, an exception.
 */
function nativePread(): ((fd: number, bytes: Uint8Array) => number) | undefined {
  const core = samplerCore();
  // An addon built before it had pread: fs.readSync still works.
  if (!('addon' in core) || typeof core.addon.pread !== 'function') return undefined;
  const { addon } = core;
  return (fd, bytes) => addon.pread(fd, bytes);
}

/** null until the first read looks; undefined where there is no native part. */
let pread: ((fd: number, bytes: Uint8Array) => number) | undefined | null = null;

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
    if (pread === null) pread = nativePread();
    if (pread) return this.#readNative(this.#fd, pread);
    try {
      const length = readSync(this.#fd, scratch, 0, scratch.length, 0);
      return length === 0 ? undefined : scratch.subarray(0, length);
    } catch (error) {
      if (isGone(error)) return undefined;
      throw error;
    }
  }

  #readNative(fd: number, read: (fd: number, bytes: Uint8Array) => number): Bytes | undefined {
    const length = read(fd, scratch);
    if (length > 0) return scratch.subarray(0, length);
    if (length === 0) return undefined;
    const code = getSystemErrorName(length);
    if (GONE.has(code)) return undefined;
    throw Object.assign(new Error(`${code}: cannot read ${this.path}`), { code, errno: length });
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
