import { StringDecoder } from 'node:string_decoder';
import type { UnmountLogAggregator } from './aggregate.ts';
import { MAX_LINE_CHARS } from './line-splitter.ts';
import { parseSysboxFsLine } from './parse-line.ts';

const QUOTE = 0x22;
const CR = 0x0d;
const RECEIVED = 'Received umount syscall from pid ';
const TARGET = 'target: ';
const FLAGS = ', flags: ';
const IGNORING = 'Ignoring unmount of sysbox-fs managed submount at ';
const REJECTED = 'Rejected unmount of sysbox-fs managed submount at ';
const LOGRUS_TIME = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/;
const MAX_CACHED_TARGETS = 16;

/**
 * Feeds chunks of a log to an aggregator, recognising the storm's hot line shapes (plain
 * logrus text at debug/info with a quoted, escape-free msg; FUSE library lines) in place,
 * without slicing or allocating per line. Every other line goes through parseSysboxFsLine,
 * so both paths give the same counts; the tests compare them.
 */
export class FastLogScanner {
  readonly #aggregator: UnmountLogAggregator;
  readonly #decoder = new StringDecoder('utf8');
  readonly #targets: string[] = [];
  #rest = '';
  #time = '';
  #nextBackslash = -1;

  constructor(aggregator: UnmountLogAggregator) {
    this.#aggregator = aggregator;
  }

  push(chunk: Buffer | string): void {
    const text = typeof chunk === 'string' ? chunk : this.#decoder.write(chunk);
    let start = 0;
    let newline = text.indexOf('\n');
    if (newline >= 0 && this.#rest.length > 0) {
      // Only the short carried-over line is concatenated: lines scanned inside a large
      // concatenated (cons) string are many times slower to read.
      this.#slowOrFast(this.#rest + text.slice(0, newline));
      this.#rest = '';
      start = newline + 1;
      newline = text.indexOf('\n', start);
    }
    this.#nextBackslash = text.indexOf('\\', start);
    while (newline >= 0) {
      this.#line(text, start, newline);
      start = newline + 1;
      newline = text.indexOf('\n', start);
    }
    if (start < text.length) {
      this.#rest = (this.#rest + text.slice(start)).slice(0, MAX_LINE_CHARS);
    }
  }

  /** Handles a last line without newline; true when there was one. */
  end(): boolean {
    const text = this.#rest + this.#decoder.end();
    this.#rest = '';
    if (text.length === 0) return false;
    this.#slow(text);
    return true;
  }

  #line(text: string, start: number, end: number): void {
    if (end - start > MAX_LINE_CHARS) end = start + MAX_LINE_CHARS;
    const first = text.charCodeAt(start);
    if (first === 0x74 /* t */ && this.#logrusText(text, start, end)) return;
    if (first >= 0x30 && first <= 0x39 && this.#fuse(text, start, end)) return;
    this.#slow(text.slice(start, end));
  }

  #slowOrFast(line: string): void {
    const saved = this.#nextBackslash;
    this.#nextBackslash = line.indexOf('\\');
    this.#line(line, 0, line.length);
    this.#nextBackslash = saved;
  }

  #slow(line: string): void {
    const record = parseSysboxFsLine(line);
    if (record.kind === 'umount-target' || record.kind === 'submount-ignored') {
      this.#remember(record.target);
    }
    this.#aggregator.push(record);
  }

  #fuse(text: string, start: number, end: number): boolean {
    // "2026/12/03 13:57:16 FUSE: ..."
    if (text.charCodeAt(start + 4) !== 0x2f || !text.startsWith(' FUSE: ', start + 19))
      return false;
    if (end - start < 26) return false;
    this.#aggregator.countStdlog(true, false);
    return true;
  }

  #logrusText(text: string, start: number, end: number): boolean {
    // time="YYYY-MM-DD HH:MM:SS" level=<debug|info> msg="<no escapes>"
    if (!text.startsWith('time="', start) || text.charCodeAt(start + 25) !== QUOTE) return false;
    if (!text.startsWith(this.#time, start + 6) || this.#time.length === 0) {
      const time = text.slice(start + 6, start + 25);
      if (!LOGRUS_TIME.test(time)) return false;
      this.#time = time;
    }
    let msg: number;
    let level: 'debug' | 'info';
    if (text.startsWith(' level=debug msg="', start + 26)) {
      level = 'debug';
      msg = start + 44;
    } else if (text.startsWith(' level=info msg="', start + 26)) {
      level = 'info';
      msg = start + 43;
    } else {
      return false;
    }
    const close = end - 1;
    if (text.charCodeAt(close) !== QUOTE || text.charCodeAt(close) === CR) return false;
    if (text.indexOf('"', msg) !== close) return false;
    if (this.#nextBackslash >= 0 && this.#nextBackslash < end) {
      if (this.#nextBackslash >= msg) return false;
      this.#nextBackslash = text.indexOf('\\', end);
    }
    return this.#message(text, msg, close, level);
  }

  #message(text: string, msg: number, close: number, level: 'debug' | 'info'): boolean {
    const aggregator = this.#aggregator;
    if (text.startsWith(RECEIVED, msg)) {
      const pid = readPid(text, msg + RECEIVED.length, close);
      if (pid <= 0) return false;
      aggregator.countLogrus('umount-received', this.#time, level, 'text', false);
      aggregator.received(pid);
      return true;
    }
    if (text.startsWith(TARGET, msg)) {
      const target = this.#cachedTarget(text, msg + TARGET.length, -1);
      if (target === null || !hasFlagsRootCwd(text, msg + TARGET.length + target.length, close)) {
        return false;
      }
      aggregator.countLogrus('umount-target', this.#time, level, 'text', false);
      aggregator.target(target);
      return true;
    }
    const ignored = text.startsWith(IGNORING, msg);
    if (ignored || text.startsWith(REJECTED, msg)) {
      const target = this.#cachedTarget(text, msg + IGNORING.length, close);
      if (target === null) return false;
      const kind = ignored ? 'submount-ignored' : 'submount-rejected';
      aggregator.countLogrus(kind, this.#time, level, 'text', false);
      aggregator.decision(target, ignored);
      return true;
    }
    return false;
  }

  /** A known target at `at`, ending at `end` (or followed by ", flags: " when end < 0). */
  #cachedTarget(text: string, at: number, end: number): string | null {
    for (const target of this.#targets) {
      if (!text.startsWith(target, at)) continue;
      const after = at + target.length;
      if (end >= 0 ? after === end : text.startsWith(FLAGS, after)) return target;
    }
    return null;
  }

  #remember(target: string): void {
    if (this.#targets.includes(target)) return;
    if (this.#targets.length >= MAX_CACHED_TARGETS) this.#targets.pop();
    // A copy, so the cache does not keep the whole chunk the target was sliced from alive.
    this.#targets.unshift(Buffer.from(target).toString());
  }
}

function readPid(text: string, from: number, to: number): number {
  if (to <= from || to - from > 10) return -1;
  let pid = 0;
  for (let at = from; at < to; at++) {
    const digit = text.charCodeAt(at) - 0x30;
    if (digit < 0 || digit > 9) return -1;
    pid = pid * 10 + digit;
  }
  return pid;
}

/** The rest of a target line after the path: ", flags: 0x<hex>, root: <path>, cwd: <path>". */
function hasFlagsRootCwd(text: string, at: number, close: number): boolean {
  const flags = at + FLAGS.length;
  if (!text.startsWith('0x', flags)) return text.startsWith('0, root: ', flags);
  let hexEnd = flags + 2;
  while (hexEnd < close && isLowerHex(text.charCodeAt(hexEnd))) hexEnd++;
  if (hexEnd === flags + 2 || !text.startsWith(', root: ', hexEnd)) return false;
  const cwd = text.indexOf(', cwd: ', hexEnd + 8);
  return cwd >= 0 && cwd < close;
}

function isLowerHex(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x61 && code <= 0x66);
}
