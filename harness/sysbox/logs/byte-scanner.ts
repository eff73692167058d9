import { KIND, LEVEL, targetLineKind } from './line-tally.ts';
import { parseSysboxFsLine } from './parse-line.ts';
import type { SysboxFsRecord } from './record.ts';
import type { UnmountEvents } from './unmount-events.ts';

/** Longer lines are cut here and the rest dropped, so one bad line cannot exhaust memory. */
export const MAX_LINE_BYTES = 1 << 20;
const MAX_CACHED_MESSAGE = 1024;
/** How far past a line's start the fast path may read; buffers should have this much slack. */
export const FAST_READ_BYTES = 48 + MAX_CACHED_MESSAGE + 64;
const MAX_CACHED_PER_KIND = 8;

const NEWLINE = 0x0a;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const RECEIVED = 'Received umount syscall from pid ';
const DEBUG_HEADER = ' level=debug msg="';
const INFO_HEADER = ' level=info msg="';
const FUSE = ' FUSE: ';

/** One message seen before (with its closing `"\n`), known to mean a target or decision. */
interface CachedMessage {
  words: Float64Array;
  length: number;
  kind: number;
  target: string;
  targetIndex: number;
  generation: number;
}

/**
 * Classifies sysbox-fs log lines straight from bytes and records them in UnmountEvents.
 *
 * The storm's hot lines (logrus text at debug/info whose header matches the previous one,
 * "Received umount syscall from pid N", target and Ignoring/Rejected messages seen before,
 * FUSE library lines) are recognised by comparing 8-byte words at the fixed offsets of
 * logrus's text format, without decoding or allocating. A message is only taken from the
 * cache when all its bytes and the closing `"\n` are equal to a line the reference parser
 * has read, so the result is that parser's. Every other line is decoded and goes through
 * parseSysboxFsLine.
 */
export class ByteLogScanner {
  readonly #events: UnmountEvents;
  #buffer: Buffer = Buffer.alloc(0);
  #view: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));
  readonly #header = new Float64Array(6);
  #headerLength = 0;
  #headerLevel = 0;
  #headerTime = '';
  /** Bytes 0-23 and 22-25 of the last FUSE line: its time and ` FUSE: `. */
  readonly #fuse = new Float64Array(3);
  #fuseTail = 0;
  #fuseKnown = false;
  readonly #targets: CachedMessage[] = [];
  readonly #decisions: CachedMessage[] = [];

  constructor(events: UnmountEvents) {
    this.#events = events;
  }

  /**
   * Scans the complete lines of buffer[start, end); returns where the unfinished line at
   * the end starts (end when there is none).
   */
  scanLines(buffer: Buffer, start: number, end: number): number {
    // An empty range: lastIndexOf would take end - 1 = -1 as "from the buffer's end".
    if (end <= start) return start;
    const lastNewline = buffer.lastIndexOf(NEWLINE, end - 1);
    if (lastNewline < start) return start;
    const wholeEnd = lastNewline + 1;
    this.#use(buffer);

    const fastLimit = buffer.length - FAST_READ_BYTES;
    let at = start;
    while (at < wholeEnd) {
      let next = -1;
      if (at <= fastLimit) {
        const first = buffer[at] as number;
        if (first === 0x74 /* t */) next = this.#logrus(buffer, at, wholeEnd);
        else if (first >= 0x30 && first <= 0x39) next = this.#fuseLine(buffer, at, wholeEnd);
      }
      if (next < 0) {
        const newline = buffer.indexOf(NEWLINE, at);
        this.#slow(buffer, at, newline);
        next = newline + 1;
      }
      at = next;
    }
    return wholeEnd;
  }

  /** Scans one line (without its newline): the last one of an input, or a cut overlong one. */
  scanLine(buffer: Buffer, start: number, end: number): void {
    this.#use(buffer);
    this.#slow(buffer, start, end);
  }

  #use(buffer: Buffer): void {
    if (buffer === this.#buffer) return;
    this.#buffer = buffer;
    this.#view = new DataView(buffer.buffer, buffer.byteOffset, buffer.length);
  }

  #logrus(buffer: Buffer, at: number, end: number): number {
    const view = this.#view;
    if (this.#headerLength === 0 || !this.#sameHeader(view, at)) {
      if (!this.#learnHeader(buffer, at)) return -1;
    }
    const msg = at + this.#headerLength;
    const word = view.getInt32(msg, true);
    if (word === RECEIVED_FIRST) return this.#received(buffer, view, msg, end);

    let cache: CachedMessage[];
    if (word === TARGET_WORD) cache = this.#targets;
    else if (word === IGNORING_WORD || word === REJECTED_WORD) cache = this.#decisions;
    else return -1;
    const cached = findCached(cache, view, msg);
    if (cached === null || msg + cached.length > end) return -1;

    const events = this.#events;
    if (cached.generation !== events.generation) {
      cached.targetIndex = events.targetIndex(cached.target);
      cached.generation = events.generation;
    }
    events.textLine(cached.kind, this.#headerTime, this.#headerLevel);
    if (cached.kind === KIND.target) events.target(cached.targetIndex);
    else events.decision(cached.targetIndex, cached.kind === KIND.ignored);
    return msg + cached.length;
  }

  /** "Received umount syscall from pid <digits>" then `"\n`. */
  #received(buffer: Buffer, view: DataView<ArrayBufferLike>, msg: number, end: number): number {
    const expected = RECEIVED_WORDS;
    if (
      view.getFloat64(msg + 8, true) !== expected[1] ||
      view.getFloat64(msg + 16, true) !== expected[2] ||
      view.getFloat64(msg + 24, true) !== expected[3] ||
      view.getFloat64(msg, true) !== expected[0] ||
      buffer[msg + 32] !== 0x20
    ) {
      return -1;
    }

    const digits = msg + RECEIVED.length;
    let pid = 0;
    let at = digits;
    for (; at < digits + 16; at++) {
      const digit = (buffer[at] ?? 0) - 0x30;
      if (digit < 0 || digit > 9) break;
      pid = pid * 10 + digit;
    }
    // At most 15 digits: always a safe integer, as the reference parser requires.
    if (at === digits || at - digits > 15 || pid === 0) return -1;
    if (buffer[at] !== QUOTE || buffer[at + 1] !== NEWLINE || at + 2 > end) return -1;

    this.#events.textLine(KIND.received, this.#headerTime, this.#headerLevel);
    this.#events.received(pid);
    return at + 2;
  }

  #sameHeader(view: DataView<ArrayBufferLike>, at: number): boolean {
    const header = this.#header;
    return (
      view.getFloat64(at, true) === header[0] &&
      view.getFloat64(at + 8, true) === header[1] &&
      view.getFloat64(at + 16, true) === header[2] &&
      view.getFloat64(at + 24, true) === header[3] &&
      view.getFloat64(at + 32, true) === header[4] &&
      view.getFloat64(at + this.#headerLength - 8, true) === header[5]
    );
  }

  /**
   * `time="YYYY-MM-DD HH:MM:SS" level=debug|info msg="`: remembers it as the header. Only the
   * layout sysbox-fs sets: a time in logrus's default RFC 3339 is left to the parser.
   */
  #learnHeader(buffer: Buffer, at: number): boolean {
    if (!startsWith(buffer, at, 'time="') || buffer[at + 25] !== QUOTE) return false;
    if (!isLogrusTime(buffer, at + 6)) return false;

    let length: number;
    if (startsWith(buffer, at + 26, DEBUG_HEADER)) {
      length = 26 + DEBUG_HEADER.length;
      this.#headerLevel = LEVEL.debug;
    } else if (startsWith(buffer, at + 26, INFO_HEADER)) {
      length = 26 + INFO_HEADER.length;
      this.#headerLevel = LEVEL.info;
    } else {
      this.#headerLength = 0;
      return false;
    }
    const view = this.#view;
    for (let word = 0; word < 5; word++) this.#header[word] = view.getFloat64(at + 8 * word, true);
    this.#header[5] = view.getFloat64(at + length - 8, true);
    this.#headerLength = length;
    const time = buffer.toString('latin1', at + 6, at + 25);
    if (time !== this.#headerTime) this.#headerTime = time;
    return true;
  }

  /** `YYYY/MM/DD HH:MM:SS FUSE: ...`: a Go standard-library log line of the FUSE library. */
  #fuseLine(buffer: Buffer, at: number, end: number): number {
    const view = this.#view;
    const fuse = this.#fuse;
    const same =
      this.#fuseKnown &&
      view.getFloat64(at, true) === fuse[0] &&
      view.getFloat64(at + 8, true) === fuse[1] &&
      view.getFloat64(at + 16, true) === fuse[2] &&
      view.getInt32(at + 22, true) === this.#fuseTail;
    if (!same) {
      if (!isStdlogTime(buffer, at) || !startsWith(buffer, at + 19, FUSE)) return -1;
      for (let word = 0; word < 3; word++) fuse[word] = view.getFloat64(at + 8 * word, true);
      this.#fuseTail = view.getInt32(at + 22, true);
      this.#fuseKnown = true;
    }
    const newline = buffer.indexOf(NEWLINE, at + 26);
    if (newline < 0 || newline >= end) return -1;
    this.#events.stdlog(true, false);
    return newline + 1;
  }

  #slow(buffer: Buffer, start: number, end: number): void {
    const cut = Math.min(end, start + MAX_LINE_BYTES);
    const record = parseSysboxFsLine(buffer.toString('utf8', start, cut));
    this.#events.record(record);
    if (cut === end && buffer[end] === NEWLINE) this.#learnMessage(buffer, start, end, record);
  }

  /** Caches the message of a target or decision line the fast path can recognise again. */
  #learnMessage(buffer: Buffer, start: number, newline: number, record: SysboxFsRecord): void {
    const kind = targetLineKind(record.kind);
    // The second test only tells the compiler what the first one means.
    if (kind === undefined || !('target' in record)) return;
    if (record.format !== 'text' || record.journal !== null) return;
    const target = record.target;
    if (start + FAST_READ_BYTES > buffer.length || !this.#learnHeader(buffer, start)) return;

    const msg = start + this.#headerLength;
    const length = newline + 1 - msg;
    if (length < 8 || length > MAX_CACHED_MESSAGE || buffer[newline - 1] !== QUOTE) return;
    for (let at = msg; at < newline - 1; at++) {
      const byte = buffer[at];
      if (byte === QUOTE || byte === BACKSLASH || byte === undefined || byte < 0x20) return;
    }
    const cache = kind === KIND.target ? this.#targets : this.#decisions;
    if (cache.length >= MAX_CACHED_PER_KIND) cache.shift();
    cache.push({
      words: messageWords(this.#view, msg, length),
      length,
      kind,
      target,
      targetIndex: -1,
      generation: -1,
    });
  }
}

function findCached(
  cache: CachedMessage[],
  view: DataView<ArrayBufferLike>,
  msg: number,
): CachedMessage | null {
  for (let entry = 0; entry < cache.length; entry++) {
    const cached = cache[entry] as CachedMessage;
    const words = cached.words;
    const last = words.length - 1;
    if (view.getFloat64(msg + cached.length - 8, true) !== words[last]) continue;
    let word = 0;
    while (word < last && view.getFloat64(msg + 8 * word, true) === words[word]) word++;
    if (word === last) return cached;
  }
  return null;
}

/**
 * 8-byte words at 0, 8, ... below length - 8, then the word ending at `length` (overlapping).
 * Compared as doubles: equal doubles are equal bytes except for NaN (never equal, so the
 * slow path runs) and ±0, which needs seven zero bytes that cached text never has.
 */
function messageWords(view: DataView<ArrayBufferLike>, at: number, length: number): Float64Array {
  const full = Math.floor((length - 1) / 8);
  const words = new Float64Array(full + 1);
  for (let word = 0; word < full; word++) words[word] = view.getFloat64(at + 8 * word, true);
  words[full] = view.getFloat64(at + length - 8, true);
  return words;
}

function wordsOf(text: string): Float64Array {
  const bytes = Buffer.from(text, 'latin1');
  const words = new Float64Array(Math.floor(bytes.length / 8));
  for (let word = 0; word < words.length; word++) words[word] = bytes.readDoubleLE(8 * word);
  return words;
}

const RECEIVED_WORDS = wordsOf(RECEIVED);
const RECEIVED_FIRST = Buffer.from(RECEIVED).readInt32LE(0);
const TARGET_WORD = Buffer.from('targ').readInt32LE(0);
const IGNORING_WORD = Buffer.from('Igno').readInt32LE(0);
const REJECTED_WORD = Buffer.from('Reje').readInt32LE(0);

function startsWith(buffer: Buffer, at: number, text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    if (buffer[at + index] !== text.charCodeAt(index)) return false;
  }
  return true;
}

function isDigit(byte: number | undefined): boolean {
  return byte !== undefined && byte >= 0x30 && byte <= 0x39;
}

/** `YYYY-MM-DD HH:MM:SS` as bytes. */
function isLogrusTime(buffer: Buffer, at: number): boolean {
  return matchesTimePattern(buffer, at, LOGRUS_TIME_PATTERN);
}

/** `YYYY/MM/DD HH:MM:SS ` as bytes (Go's log package). */
function isStdlogTime(buffer: Buffer, at: number): boolean {
  return matchesTimePattern(buffer, at, STDLOG_TIME_PATTERN);
}

const LOGRUS_TIME_PATTERN = 'dddd-dd-dd dd:dd:dd';
const STDLOG_TIME_PATTERN = 'dddd/dd/dd dd:dd:dd ';

function matchesTimePattern(buffer: Buffer, at: number, pattern: string): boolean {
  for (let index = 0; index < pattern.length; index++) {
    const byte = buffer[at + index];
    const expected = pattern.charCodeAt(index);
    if (expected === 0x64 /* d */ ? !isDigit(byte) : byte !== expected) return false;
  }
  return true;
}
