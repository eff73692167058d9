import { FAST_READ_BYTES, MAX_LINE_BYTES } from './byte-scanner.ts';
import type { LogScanner } from './log-scanner.ts';

export const READ_BUFFER_BYTES = 4 << 20;
const NEWLINE = 0x0a;

/**
 * One reused buffer that input is read into; complete lines go to the scanner, the
 * unfinished last line moves to the front and waits for the next read. A line longer than
 * MAX_LINE_BYTES is scanned cut and the rest of it dropped.
 */
export class LineBuffer {
  readonly buffer = Buffer.allocUnsafe(READ_BUFFER_BYTES + FAST_READ_BYTES);
  readonly #scanner: LogScanner;
  #fill = 0;
  #dropping = false;

  constructor(scanner: LogScanner) {
    this.#scanner = scanner;
  }

  /** Where the next read goes; `free` bytes fit there. */
  get fill(): number {
    return this.#fill;
  }

  get free(): number {
    return READ_BUFFER_BYTES - this.#fill;
  }

  /** Copies `chunk` in, scanning as the buffer fills. */
  write(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      const copied = chunk.copy(this.buffer, this.#fill, at, at + this.free);
      at += copied;
      this.commit(copied);
    }
  }

  /** `count` bytes were read into buffer at `fill`: scans the complete lines. */
  commit(count: number): void {
    const buffer = this.buffer;
    const from = this.#fill;
    this.#fill += count;
    // A newline after the data bounds every search for one.
    buffer[this.#fill] = NEWLINE;
    if (this.#dropping && !this.#dropRest(from)) return;

    const done = this.#scanner.scanLines(buffer, 0, this.#fill);
    const rest = this.#fill - done;
    if (rest > MAX_LINE_BYTES) {
      this.#scanner.scanLine(buffer, done, done + MAX_LINE_BYTES);
      this.#fill = 0;
      this.#dropping = true;
      return;
    }
    if (done > 0 && rest > 0) buffer.copyWithin(0, done, this.#fill);
    this.#fill = rest;
  }

  /** Scans an unfinished last line; true when the input did not end with a newline. */
  end(): boolean {
    if (this.#dropping) return true;
    if (this.#fill === 0) return false;
    this.#scanner.scanLine(this.buffer, 0, this.#fill);
    this.#fill = 0;
    return true;
  }

  /** Whether the line being read is an overlong one whose rest is dropped. */
  get dropping(): boolean {
    return this.#dropping;
  }

  /** Drops bytes up to the newline ending an overlong line; false when it is not there yet. */
  #dropRest(from: number): boolean {
    const newline = this.buffer.indexOf(NEWLINE, from);
    if (newline >= this.#fill) {
      this.#fill = 0;
      return false;
    }
    this.buffer.copyWithin(0, newline + 1, this.#fill);
    this.#fill -= newline + 1;
    this.#dropping = false;
    return true;
  }
}
