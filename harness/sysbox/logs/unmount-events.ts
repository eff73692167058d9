import {
  emptyTally,
  KIND,
  KINDS,
  kindIndex,
  LEVEL,
  LEVELS,
  type LineTally,
  levelIndex,
  MAX_GARBAGE_EXAMPLES,
  MAX_STARTUPS,
  MAX_UNIT_CHANGES,
} from './line-tally.ts';
import { SCAN_STATE } from './native-scan-state.ts';
import type { SysboxFsRecord, UnitChange } from './record.ts';

/** Opcodes of the order-dependent events, each followed by its operands in `ops`. */
export const OP = {
  /** time index, number of consecutive logrus lines stamped with that time */
  time: 0,
  /** pid */
  received: 1,
  /** target index */
  target: 2,
  /** target index */
  ignored: 3,
  /** target index */
  rejected: 4,
  /** pid, target index: a call and its target line right after it, in the same second */
  receivedTarget: 5,
} as const;

/** What a part of a log says: its order-free tally and its order-dependent events. */
export interface EventBatch {
  tally: LineTally;
  ops: Float64Array;
  opCount: number;
  times: string[];
  targets: string[];
}

const INITIAL_OPS = 1 << 16;

/**
 * Records what lines say, in the order they say it, as compact numbers: a scanner (in a
 * worker or not) fills it, the aggregator replays it. Strings (times, targets) are stored
 * once per batch and referred to by index.
 */
export class UnmountEvents {
  /** Bumped by take(): target indexes handed out before are no longer valid. */
  generation = 0;
  #tally = emptyTally();
  // Hot counters; copied into the tally by take().
  readonly #kinds = new Float64Array(KINDS.length);
  readonly #levels = new Float64Array(LEVELS.length);
  #lines = 0;
  #textLines = 0;
  #ops: Float64Array;
  #opCount = 0;
  #times: string[] = [];
  #targets: string[] = [];
  readonly #targetIndexes = new Map<string, number>();
  #runTime = '';
  #runAt = -1;
  /** Where the last op is a received one, so a target right after can join it. */
  #receivedAt = -1;

  constructor(ops?: Float64Array) {
    this.#ops = ops ?? new Float64Array(INITIAL_OPS);
  }

  /** Hands over everything recorded since the last take(), and starts a new batch in `ops`. */
  take(ops?: Float64Array): EventBatch {
    const tally = this.#tally;
    tally.kinds = Array.from(this.#kinds);
    tally.levels = Array.from(this.#levels);
    tally.lines += this.#lines;
    tally.text += this.#textLines;
    if ((this.#levels[LEVEL.debug] ?? 0) > 0) tally.debugLines = true;
    this.#lines = 0;
    this.#textLines = 0;
    this.#kinds.fill(0);
    this.#levels.fill(0);
    const batch: EventBatch = {
      tally: this.#tally,
      ops: this.#ops,
      opCount: this.#opCount,
      times: this.#times,
      targets: this.#targets,
    };
    this.#tally = emptyTally();
    this.#ops = ops ?? new Float64Array(INITIAL_OPS);
    this.#opCount = 0;
    this.#times = [];
    this.#targets = [];
    this.#targetIndexes.clear();
    this.#runTime = '';
    this.#runAt = -1;
    this.#receivedAt = -1;
    this.generation++;
    return batch;
  }

  get empty(): boolean {
    return this.#opCount === 0 && this.#tally.lines === 0 && this.#lines === 0;
  }

  targetIndex(target: string): number {
    let index = this.#targetIndexes.get(target);
    if (index === undefined) {
      index = this.#targets.length;
      this.#targets.push(target);
      this.#targetIndexes.set(target, index);
    }
    return index;
  }

  /** Counts one logrus line; `level` and `kind` are LEVELS and KINDS indexes. */
  logrus(kind: number, time: string, level: number, json: boolean, journal: boolean): void {
    if (json) this.#tally.json++;
    else this.#textLines++;
    if (journal) this.#tally.journalPrefixed++;
    this.#countLogrus(kind, time, level);
  }

  /** logrus() for the hot case: a text line without a journal prefix. */
  textLine(kind: number, time: string, level: number): void {
    this.#textLines++;
    this.#countLogrus(kind, time, level);
  }

  #countLogrus(kind: number, time: string, level: number): void {
    this.#lines++;
    const kinds = this.#kinds;
    kinds[kind] = (kinds[kind] as number) + 1;
    const levels = this.#levels;
    const seen = levels[level] as number;
    levels[level] = seen + 1;
    if (seen === 0) this.#tally.levelOrder.push(level);

    if (time === this.#runTime && this.#runAt >= 0) {
      const ops = this.#ops;
      ops[this.#runAt + 2] = (ops[this.#runAt + 2] as number) + 1;
      return;
    }
    this.#newRun(time);
  }

  #newRun(time: string): void {
    this.#runTime = time;
    this.#runAt = this.#opCount;
    this.#times.push(time);
    this.#push3(OP.time, this.#times.length - 1, 1);
  }

  stdlog(fuse: boolean, journal: boolean): void {
    this.#lines++;
    const kinds = this.#kinds;
    kinds[KIND.stdlog] = (kinds[KIND.stdlog] as number) + 1;
    if (journal) this.#tally.journalPrefixed++;
    if (fuse) this.#tally.debugLines = true;
  }

  garbage(reason: string, line: string): void {
    const tally = this.#tally;
    tally.lines++;
    this.#kinds[KIND.garbage] = (this.#kinds[KIND.garbage] ?? 0) + 1;
    tally.garbage++;
    if (tally.garbageExamples.length < MAX_GARBAGE_EXAMPLES) {
      tally.garbageExamples.push({ reason, line });
    }
  }

  received(pid: number): void {
    this.#push2(OP.received, pid);
    this.#receivedAt = this.#opCount - 2;
  }

  target(targetIndex: number): void {
    const received = this.#receivedAt;
    if (received >= 0 && received === this.#opCount - 2) {
      if (this.#opCount + 1 > this.#ops.length) this.#grow();
      this.#ops[received] = OP.receivedTarget;
      this.#ops[this.#opCount++] = targetIndex;
      this.#receivedAt = -1;
      return;
    }
    this.#push2(OP.target, targetIndex);
  }

  decision(targetIndex: number, ignored: boolean): void {
    this.#push2(ignored ? OP.ignored : OP.rejected, targetIndex);
  }

  /**
   * Writes the state a native scanner records on from into `state` (see native-scan-state.ts)
   * and returns the ops array it appends to; settle() takes the result back. `runTime` is
   * the time of the scanner's header: it may count into the current run only if equal.
   */
  lend(state: Float64Array, runTime: string): Float64Array {
    const slots = SCAN_STATE;
    state[slots.generation] = this.generation;
    state[slots.opCount] = this.#opCount;
    state[slots.runAt] = runTime === this.#runTime ? this.#runAt : -1;
    state[slots.receivedAt] = this.#receivedAt;
    state.fill(0, slots.lines, slots.fuseLines + 1);
    state[slots.journalLines] = 0;
    state.fill(0, slots.kindCounts, slots.kindCounts + KINDS.length);
    state.fill(0, slots.levelCounts, slots.levelCounts + LEVELS.length);
    for (let level = 0; level < LEVELS.length; level++) {
      state[slots.levelSeen + level] = (this.#levels[level] as number) > 0 ? 1 : 0;
    }
    return this.#ops;
  }

  /** Takes back what a native scanner recorded since lend(state). */
  settle(state: Float64Array): void {
    const slots = SCAN_STATE;
    this.#opCount = state[slots.opCount] as number;
    this.#receivedAt = state[slots.receivedAt] as number;
    this.#lines += state[slots.lines] as number;
    this.#textLines += state[slots.textLines] as number;
    if ((state[slots.fuseLines] as number) > 0) this.#tally.debugLines = true;
    this.#tally.journalPrefixed += state[slots.journalLines] as number;
    const kinds = this.#kinds;
    for (let kind = 0; kind < KINDS.length; kind++) {
      kinds[kind] = (kinds[kind] as number) + (state[slots.kindCounts + kind] as number);
    }
    const levels = this.#levels;
    for (let level = 0; level < LEVELS.length; level++) {
      levels[level] = (levels[level] as number) + (state[slots.levelCounts + level] as number);
    }
  }

  /** Records a line the reference parser classified. */
  record(record: SysboxFsRecord): void {
    switch (record.kind) {
      case 'garbage':
        this.garbage(record.reason, record.line);
        return;
      case 'journal-meta':
        this.#tally.lines++;
        this.#kinds[KIND.journalMeta] = (this.#kinds[KIND.journalMeta] ?? 0) + 1;
        return;
      case 'journal-other':
        this.#otherJournalLine(record.journal.time, record.unitChange);
        return;
      case 'stdlog':
        this.stdlog(record.fuse, record.journal !== null);
        return;
    }
    const level = levelIndex(record.level);
    const journal = record.journal !== null;
    this.logrus(kindIndex(record.kind), record.time, level, record.format === 'json', journal);
    switch (record.kind) {
      case 'umount-received':
        this.received(record.pid);
        break;
      case 'umount-target':
        this.target(this.targetIndex(record.target));
        break;
      case 'submount-ignored':
      case 'submount-rejected':
        this.decision(this.targetIndex(record.target), record.kind === 'submount-ignored');
        break;
      case 'startup':
        if (this.#tally.startups.length < MAX_STARTUPS) {
          const { time, message, version, edition } = record;
          this.#tally.startups.push({ time, message, version, edition });
        }
        break;
      case 'other':
        break;
    }
  }

  #otherJournalLine(time: string, unitChange: UnitChange | null): void {
    const tally = this.#tally;
    tally.lines++;
    tally.journalPrefixed++;
    this.#kinds[KIND.journalOther] = (this.#kinds[KIND.journalOther] ?? 0) + 1;
    if (unitChange !== null && tally.unitChanges.length < MAX_UNIT_CHANGES) {
      tally.unitChanges.push({ time, ...unitChange });
    }
  }

  #push2(op: number, operand: number): void {
    if (this.#opCount + 2 > this.#ops.length) this.#grow();
    this.#ops[this.#opCount++] = op;
    this.#ops[this.#opCount++] = operand;
  }

  #push3(op: number, first: number, second: number): void {
    if (this.#opCount + 3 > this.#ops.length) this.#grow();
    this.#ops[this.#opCount++] = op;
    this.#ops[this.#opCount++] = first;
    this.#ops[this.#opCount++] = second;
  }

  #grow(): void {
    // At least 16: doubling an array of one or two would not fit a three-number op.
    const ops = new Float64Array(Math.max(16, this.#ops.length * 2));
    ops.set(this.#ops);
    this.#ops = ops;
  }
}
