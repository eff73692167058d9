import {
  emptyTally,
  KIND,
  kindIndex,
  type LineTally,
  levelIndex,
  MAX_GARBAGE_EXAMPLES,
  MAX_STARTUPS,
} from './line-tally.ts';
import type { SysboxFsRecord } from './record.ts';

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
  #ops: Float64Array;
  #opCount = 0;
  #times: string[] = [];
  #targets: string[] = [];
  readonly #targetIndexes = new Map<string, number>();
  #runTime = '';
  #runAt = -1;

  constructor(ops?: Float64Array) {
    this.#ops = ops ?? new Float64Array(INITIAL_OPS);
  }

  /** Hands over everything recorded since the last take(), and starts a new batch in `ops`. */
  take(ops?: Float64Array): EventBatch {
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
    this.generation++;
    return batch;
  }

  get empty(): boolean {
    return this.#opCount === 0 && this.#tally.lines === 0;
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
    const tally = this.#tally;
    tally.lines++;
    increment(tally.kinds, kind);
    if (increment(tally.levels, level) === 1) tally.levelOrder.push(level);
    if (json) tally.json++;
    else tally.text++;
    if (journal) tally.journalPrefixed++;
    if (level === 1) tally.debugLines = true;

    if (time === this.#runTime && this.#runAt >= 0) {
      increment(this.#ops, this.#runAt + 2);
      return;
    }
    this.#runTime = time;
    this.#runAt = this.#opCount;
    this.#times.push(time);
    this.#push3(OP.time, this.#times.length - 1, 1);
  }

  stdlog(fuse: boolean, journal: boolean): void {
    const tally = this.#tally;
    tally.lines++;
    increment(tally.kinds, KIND.stdlog);
    if (journal) tally.journalPrefixed++;
    if (fuse) tally.debugLines = true;
  }

  garbage(reason: string, line: string): void {
    const tally = this.#tally;
    tally.lines++;
    increment(tally.kinds, KIND.garbage);
    tally.garbage++;
    if (tally.garbageExamples.length < MAX_GARBAGE_EXAMPLES) {
      tally.garbageExamples.push({ reason, line });
    }
  }

  received(pid: number): void {
    this.#push2(OP.received, pid);
  }

  target(targetIndex: number): void {
    this.#push2(OP.target, targetIndex);
  }

  decision(targetIndex: number, ignored: boolean): void {
    this.#push2(ignored ? OP.ignored : OP.rejected, targetIndex);
  }

  /** Records a line the reference parser classified. */
  record(record: SysboxFsRecord): void {
    switch (record.kind) {
      case 'garbage':
        this.garbage(record.reason, record.line);
        return;
      case 'journal-meta':
        this.#tally.lines++;
        increment(this.#tally.kinds, KIND.journalMeta);
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
    const ops = new Float64Array(this.#ops.length * 2);
    ops.set(this.#ops);
    this.#ops = ops;
  }
}

function increment(counts: number[] | Float64Array, at: number): number {
  const count = (counts[at] ?? 0) + 1;
  counts[at] = count;
  return count;
}
