import { MAX_LINE_BYTES } from './byte-scanner.ts';
import { KIND, targetLineKind } from './line-tally.ts';
import { CACHE_SLOTS, SCAN_STATE, SCAN_STOP } from './native-scan-state.ts';
import { parseSysboxFsLine } from './parse-line.ts';
import type { SysboxFsRecord } from './record.ts';
import type { UnmountEvents } from './unmount-events.ts';

/** The compiled scanner, native/log-scanner.c. */
export interface LogScannerAddon {
  create(): object;
  scan(
    handle: object,
    buffer: Buffer,
    start: number,
    end: number,
    state: Float64Array,
    ops: Float64Array,
  ): number;
  learn(handle: object, buffer: Buffer, start: number, newline: number, kind: number): number;
}

const NEWLINE = 0x0a;
const SLOT = SCAN_STATE;

/**
 * ByteLogScanner's work with its hot path in C: the addon recognises the storm's lines (also
 * under journalctl's default prefix naming sysbox-fs, which ByteLogScanner leaves to the
 * parser) and records them into UnmountEvents itself, and hands every other line back to be
 * decoded and classified here by the reference parser, exactly as ByteLogScanner does. The addon's
 * message cache holds only messages this parser has classified, so the result is the
 * parser's.
 */
export class NativeLogScanner {
  readonly #addon: LogScannerAddon;
  readonly #handle: object;
  readonly #events: UnmountEvents;
  readonly #state = new Float64Array(SLOT.size);
  /** The target of each message cache slot. */
  readonly #targets: string[] = new Array<string>(CACHE_SLOTS).fill('');
  /** The time of the header the addon compares lines against. */
  #headerTime = '';

  constructor(addon: LogScannerAddon, events: UnmountEvents) {
    this.#addon = addon;
    this.#handle = addon.create();
    this.#events = events;
    this.#state.fill(-1, SLOT.cache, SLOT.cache + 2 * CACHE_SLOTS);
  }

  scanLines(buffer: Buffer, start: number, end: number): number {
    // An empty range: lastIndexOf would take end - 1 = -1 as "from the buffer's end".
    if (end <= start) return start;
    const lastNewline = buffer.lastIndexOf(NEWLINE, end - 1);
    if (lastNewline < start) return start;
    const wholeEnd = lastNewline + 1;

    const state = this.#state;
    const events = this.#events;
    let at = start;
    for (;;) {
      const ops = events.lend(state, this.#headerTime);
      const stop = this.#addon.scan(this.#handle, buffer, at, wholeEnd, state, ops);
      events.settle(state);
      at = state[SLOT.stopAt] as number;
      if (stop === SCAN_STOP.done) return wholeEnd;

      if (stop === SCAN_STOP.slow) {
        const runEnd = state[SLOT.stopNext] as number;
        while (at < runEnd) {
          const newline = buffer.indexOf(NEWLINE, at);
          this.#slow(buffer, at, newline);
          at = newline + 1;
        }
      } else if (stop === SCAN_STOP.record) {
        this.#record();
        at = state[SLOT.stopNext] as number;
      } else {
        // Only a new time is decoded: lines then count under it until the next one.
        const header = state[SLOT.stopNext] as number;
        this.#headerTime = buffer.toString('latin1', header + 6, header + 25);
      }
    }
  }

  scanLine(buffer: Buffer, start: number, end: number): void {
    this.#slow(buffer, start, end);
  }

  /** A line the addon recognised but left to be recorded here, as ByteLogScanner would. */
  #record(): void {
    const state = this.#state;
    const events = this.#events;
    const kind = state[SLOT.stopKind] as number;
    const value = state[SLOT.stopValue] as number;
    const level = state[SLOT.stopLevel] as number;
    if (state[SLOT.stopJournal] === 1) events.logrus(kind, this.#headerTime, level, false, true);
    else events.textLine(kind, this.#headerTime, level);
    if (kind === KIND.received) {
      events.received(value);
      return;
    }
    const resolved = SLOT.cache + 2 * value;
    if (state[resolved + 1] !== events.generation) {
      state[resolved] = events.targetIndex(this.#targets[value] as string);
      state[resolved + 1] = events.generation;
    }
    const targetIndex = state[resolved] as number;
    if (kind === KIND.target) events.target(targetIndex);
    else events.decision(targetIndex, kind === KIND.ignored);
  }

  #slow(buffer: Buffer, start: number, end: number): void {
    const cut = Math.min(end, start + MAX_LINE_BYTES);
    const record = parseSysboxFsLine(buffer.toString('utf8', start, cut));
    this.#events.record(record);
    if (cut === end && buffer[end] === NEWLINE) this.#learn(buffer, start, end, record);
  }

  /** Gives the addon the message of a target or decision line, to recognise it next time. */
  #learn(buffer: Buffer, start: number, newline: number, record: SysboxFsRecord): void {
    const kind = targetLineKind(record.kind);
    // The second test only tells the compiler what the first one means.
    if (kind === undefined || !('target' in record)) return;
    if (record.format !== 'text') return;

    const slot = this.#addon.learn(this.#handle, buffer, start, newline, kind);
    if (slot < 0) return;
    this.#targets[slot] = record.target;
    this.#state[SLOT.cache + 2 * slot + 1] = -1;
  }
}
