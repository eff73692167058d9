import { StringDecoder } from 'node:string_decoder';

/** Longer lines are cut here and the rest dropped, so one bad line cannot exhaust memory. */
export const MAX_LINE_CHARS = 1 << 20;

/**
 * Splits chunks of UTF-8 text into lines, holding at most one unfinished line between
 * chunks. `end()` hands over a last line that had no newline (a partial write).
 */
export class LineSplitter {
  readonly #decoder = new StringDecoder('utf8');
  readonly #onLine: (line: string) => void;
  #rest = '';
  #overlong = false;

  constructor(onLine: (line: string) => void) {
    this.#onLine = onLine;
  }

  push(chunk: Buffer | string): void {
    const text = typeof chunk === 'string' ? chunk : this.#decoder.write(chunk);
    let start = 0;
    let newline = text.indexOf('\n');
    if (newline >= 0 && this.#rest.length > 0) {
      this.#emit(this.#rest + text.slice(0, newline));
      this.#rest = '';
      start = newline + 1;
      newline = text.indexOf('\n', start);
    }
    while (newline >= 0) {
      this.#emit(text.slice(start, newline));
      start = newline + 1;
      newline = text.indexOf('\n', start);
    }
    if (start < text.length) this.#keep(text.slice(start));
  }

  /** Flushes the unfinished last line, if any; true when there was one. */
  end(): boolean {
    this.#keep(this.#decoder.end());
    const partial = this.#rest.length > 0;
    if (partial) this.#emit(this.#rest);
    this.#rest = '';
    return partial;
  }

  #keep(text: string): void {
    if (this.#rest.length + text.length <= MAX_LINE_CHARS) {
      this.#rest += text;
      return;
    }
    this.#rest = (this.#rest + text).slice(0, MAX_LINE_CHARS);
    this.#overlong = true;
  }

  #emit(line: string): void {
    if (this.#overlong) {
      this.#overlong = false;
      this.#onLine(line.slice(0, MAX_LINE_CHARS));
      return;
    }
    this.#onLine(line);
  }
}
