/**
 * Byte-level scanning of kernel text files. The sampler re-reads the same files many times a
 * second; parsing the bytes in place keeps each sample free of string garbage.
 */

export type Bytes = Uint8Array;

const SPACE = 0x20;
const NEWLINE = 0x0a;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const MINUS = 0x2d;

export const asBytes = (text: string | Bytes): Bytes =>
  typeof text === 'string' ? Buffer.from(text, 'latin1') : text;

export const isBlank = (byte: number | undefined) =>
  byte === SPACE || byte === NEWLINE || byte === 0x09;

/** Index of the first byte of the next token at or after `from`, or `bytes.length`. */
export function skipBlanks(bytes: Bytes, from: number): number {
  let at = from;
  while (at < bytes.length && isBlank(bytes[at])) at++;
  return at;
}

/** Index just past the token that starts at `from`. */
export function skipToken(bytes: Bytes, from: number): number {
  let at = from;
  while (at < bytes.length && !isBlank(bytes[at])) at++;
  return at;
}

/**
 * The decimal integer starting at `from` (an optional minus sign, then digits), or NaN when
 * there is none. Values above 2^53 keep 16 significant digits, far below one clock tick.
 */
export function readInteger(bytes: Bytes, from: number): number {
  let at = from;
  const negative = bytes[at] === MINUS;
  if (negative) at++;
  let value = 0;
  let digits = 0;
  for (; at < bytes.length; at++) {
    const byte = bytes[at] as number;
    if (byte < DIGIT_0 || byte > DIGIT_9) break;
    value = value * 10 + (byte - DIGIT_0);
    digits++;
  }
  if (digits === 0 || (at < bytes.length && !isBlank(bytes[at]))) return Number.NaN;
  return negative ? -value : value;
}

/** Index of the start of the line after the one containing `from`, or `bytes.length`. */
export function nextLine(bytes: Bytes, from: number): number {
  const at = bytes.indexOf(NEWLINE, from);
  return at === -1 ? bytes.length : at + 1;
}

/** Whether the bytes at `at` spell `word` followed by a blank. */
export function startsWithWord(bytes: Bytes, at: number, word: string): boolean {
  for (let i = 0; i < word.length; i++) if (bytes[at + i] !== word.charCodeAt(i)) return false;
  return isBlank(bytes[at + word.length]);
}

/** Integers of the `key value` lines named in `keys` (cgroup v2 cpu.stat, v1 cpuacct.stat). */
export function readKeyedIntegers<K extends string>(
  bytes: Bytes,
  keys: readonly K[],
): Partial<Record<K, number>> {
  const found: Partial<Record<K, number>> = {};
  for (let line = 0; line < bytes.length; line = nextLine(bytes, line)) {
    for (const key of keys) {
      if (!startsWithWord(bytes, line, key)) continue;
      const value = readInteger(bytes, skipBlanks(bytes, line + key.length));
      if (!Number.isNaN(value)) found[key] = value;
    }
  }
  return found;
}
