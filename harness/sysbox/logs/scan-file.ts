import { readSync } from 'node:fs';
import type { LineBuffer } from './line-buffer.ts';

const NEWLINE = 0x0a;
const PROBE_BYTES = 64 << 10;
// Small reads keep what was just read in the CPU cache while it is scanned.
const READ_BYTES = 256 << 10;

/**
 * Scans the lines of an open file that begin in [from, to): the first one may have begun
 * earlier (then it belongs to the part before), the last may end after `to`. Returns true
 * when that last line is the file's and has no newline.
 */
export function scanFileSegment(fd: number, from: number, to: number, lines: LineBuffer): boolean {
  const start = from === 0 ? 0 : nextLineStart(fd, from, lines.buffer);
  if (start >= to) return false;

  let position = start;
  while (position < to) {
    const count = readSync(
      fd,
      lines.buffer,
      lines.fill,
      Math.min(lines.free, READ_BYTES, to - position),
      position,
    );
    if (count <= 0) return lines.end();
    position += count;
    lines.commit(count);
  }
  // Finish the line that runs past `to`.
  while (lines.fill > 0 || lines.dropping) {
    const at = lines.fill;
    const count = readSync(fd, lines.buffer, at, Math.min(lines.free, PROBE_BYTES), position);
    if (count <= 0) return lines.end();
    position += count;
    const newline = lines.buffer.indexOf(NEWLINE, at);
    if (newline >= 0 && newline < at + count) {
      lines.commit(newline + 1 - at);
      return false;
    }
    lines.commit(count);
  }
  return false;
}

/** Where the first line beginning at or after `from` starts (the file size if none does). */
function nextLineStart(fd: number, from: number, scratch: Buffer): number {
  let position = from - 1;
  for (;;) {
    const count = readSync(fd, scratch, 0, PROBE_BYTES, position);
    if (count <= 0) return position;
    const newline = scratch.indexOf(NEWLINE, 0);
    if (newline >= 0 && newline < count) return position + newline + 1;
    position += count;
  }
}
