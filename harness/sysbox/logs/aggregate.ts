import { emptyTally, KINDS, LEVELS, type LineTally, mergeTally } from './line-tally.ts';
import { parseSysboxFsLine } from './parse-line.ts';
import { PendingCalls } from './pending-calls.ts';
import type { LogrusLevel, SysboxFsRecord, SysboxFsRecordKind } from './record.ts';
import { formatLogrusSecond, logrusSecond } from './seconds.ts';
import {
  type Behaviour,
  behaviourOf,
  DEFAULT_STORM_OPTIONS,
  StormDetector,
  type StormOptions,
  type StormPeriod,
  type TargetSecond,
} from './storms.ts';
import { type TargetSecondCounts, type TargetState, TargetStates } from './target-states.ts';
import { placeUnitChanges, type UnitChangeEvent } from './unit-changes.ts';
import { type EventBatch, OP, UnmountEvents } from './unmount-events.ts';
/** Unmount activity of one logged second. */
export interface SecondCounts {
  time: string;
  umountCalls: number;
  ignored: number;
  rejected: number;
  byTarget: Record<string, { calls: number; ignored: number; rejected: number }>;
  /** Trapped calls per calling pid (a thread id inside the container's pid namespace). */
  byPid: Record<string, number>;
}

export interface Tally {
  key: string;
  count: number;
}

export interface LogAnalysis {
  lines: number;
  kinds: Record<SysboxFsRecordKind, number>;
  levels: Partial<Record<LogrusLevel, number>>;
  formats: { text: number; json: number; journalPrefixed: number };
  garbage: { count: number; examples: { reason: string; line: string }[] };
  partialLastLine: boolean;
  firstTime: string | null;
  lastTime: string | null;
  /** Lines stamped earlier than a line before them; counted in the later second. */
  outOfOrderLines: number;
  totals: {
    umountCalls: number;
    ignored: number;
    rejected: number;
    /** Target lines with no pending "Received" line to pair with. */
    unpairedTargets: number;
    /** Target lines paired while more than one pid was waiting (attribution is a guess). */
    ambiguousPairs: number;
  };
  /** Whether debug output is present: without it, a pre-fix loop leaves no unmount lines. */
  debugLines: boolean;
  behaviour: Behaviour;
  topTargets: (Tally & { ignored: number; rejected: number })[];
  topPids: Tally[];
  startups: { time: string; message: string; version?: string; edition?: string }[];
  /** What systemd logged about sysbox-fs.service (a journal export only): restarts and such. */
  unitChanges: UnitChangeEvent[];
  storms: StormPeriod[];
  /** Per-second rows, only when asked for (a run's window); empty otherwise. */
  seconds: SecondCounts[];
}

export interface AggregatorOptions {
  storms?: Partial<StormOptions>;
  /** Keep every second's row in the result; for bounded windows such as one run. */
  keepSeconds?: boolean;
  /** Called once per completed second, in order. */
  onSecond?: (row: SecondCounts) => void;
}

interface Bucket {
  /** Distinguishes buckets of the same second (a clock set back). */
  serial: number;
  second: number;
  time: string;
  umountCalls: number;
  ignored: number;
  rejected: number;
  targets: Map<string, TargetSecondCounts>;
  pids: Map<number, number>;
}

const MAX_TALLY_KEYS = 10_000;

interface PidTotal {
  pid: number;
  count: number;
}
const MAX_PENDING = 4_096;

/**
 * Turns sysbox-fs lines into per-second unmount counts and storm periods, one line at a
 * time, in memory bounded by the number of distinct targets and pids (capped), not lines.
 *
 * A trapped call is logged as two lines, "Received umount syscall from pid N" and then
 * "target: ...", with no pid on the second. A calling thread is blocked until sysbox-fs
 * answers, so each pid has at most one call in flight: a target line goes to the oldest pid
 * still waiting for its target, and a pid's new call retires its previous one.
 *
 * Lines come either one parsed record at a time (push) or as batches of events recorded by
 * the byte scanner (replay); both go through the same event methods below.
 */
export class UnmountLogAggregator {
  readonly #options: AggregatorOptions;
  readonly #storms: StormDetector;
  readonly #stormGapSeconds: number;
  readonly #tally: LineTally = emptyTally();
  readonly #events = new UnmountEvents();
  readonly #targets = new TargetStates(MAX_TALLY_KEYS);
  readonly #pidTotals = new Map<number, PidTotal>();
  /** The last two pids counted, which a loop's calls mostly repeat, found without the Map. */
  #recentPid: PidTotal = { pid: -1, count: 0 };
  #olderPid: PidTotal = { pid: -1, count: 0 };
  readonly #pending = new PendingCalls(MAX_PENDING);
  readonly #keepPids: boolean;
  readonly #totals: LogAnalysis['totals'] = {
    umountCalls: 0,
    ignored: 0,
    rejected: 0,
    unpairedTargets: 0,
    ambiguousPairs: 0,
  };
  readonly #seconds: SecondCounts[] = [];
  #bucket: Bucket | null = null;
  #lastTimeText = '';
  #lastSecond = 0;
  #firstTime: string | null = null;
  #lastTime: string | null = null;
  #outOfOrderLines = 0;
  #partialLastLine = false;
  #spareOps: Float64Array | undefined;

  constructor(options: AggregatorOptions = {}) {
    this.#options = options;
    this.#keepPids = options.keepSeconds === true || options.onSecond !== undefined;
    const storms = { ...DEFAULT_STORM_OPTIONS, ...options.storms };
    this.#storms = new StormDetector(storms);
    this.#stormGapSeconds = storms.maxGapSeconds;
  }

  /** The reference path: one line through parseSysboxFsLine. */
  pushLine(line: string): void {
    this.push(parseSysboxFsLine(line));
  }

  push(record: SysboxFsRecord): void {
    this.#events.record(record);
    const batch = this.#events.take(this.#spareOps);
    this.replay(batch);
    this.#spareOps = batch.ops;
  }

  /** Applies a batch recorded from the lines that follow everything applied so far. */
  replay(batch: EventBatch): void {
    mergeTally(this.#tally, batch.tally);
    const { ops, opCount } = batch;
    this.#targets.prune(this.#bucket?.serial ?? -1);
    // A worker's batch arrives as a copy whose arrays have other hidden classes than arrays
    // recorded on this thread; map() makes arrays of one class from either, so the loop
    // below is not thrown out of its optimised code in mid-batch when the other one comes.
    const states = batch.targets.map((path) => this.#targets.get(path));
    const times = batch.times.map((time) => time);
    let at = 0;
    while (at < opCount) {
      const op = ops[at] ?? -1;
      const operand = ops[at + 1] ?? -1;
      if (op === OP.time) {
        this.#enterTime(times[operand] ?? '', ops[at + 2] ?? 0);
        at += 3;
        continue;
      }
      if (op === OP.received) {
        this.#received(operand);
        at += 2;
        continue;
      }
      const targetAt = op === OP.receivedTarget ? at + 2 : at + 1;
      const state = states[ops[targetAt] ?? -1];
      if (state === undefined) throw new Error('unmount event names no target of its batch');
      at = targetAt + 1;
      if (op === OP.receivedTarget) this.#receivedTarget(operand, state);
      else if (op === OP.target) this.#target(state);
      else this.#decision(state, op === OP.ignored);
    }
  }

  /** Marks the input's last line as cut off (no trailing newline). */
  notePartialLastLine(): void {
    this.#partialLastLine = true;
  }

  finish(): LogAnalysis {
    if (this.#bucket !== null) this.#flush(this.#bucket);
    this.#bucket = null;
    const totals = this.#totals;
    const tally = this.#tally;
    const storms = this.#storms.finish();
    return {
      lines: tally.lines,
      kinds: kindsOf(tally),
      levels: levelsOf(tally),
      formats: { text: tally.text, json: tally.json, journalPrefixed: tally.journalPrefixed },
      garbage: { count: tally.garbage, examples: tally.garbageExamples },
      partialLastLine: this.#partialLastLine,
      firstTime: this.#firstTime,
      lastTime: this.#lastTime,
      outOfOrderLines: this.#outOfOrderLines,
      totals,
      debugLines: tally.debugLines,
      behaviour: behaviourOf(totals.ignored, totals.rejected),
      topTargets: this.#targets.tallied
        .map(({ path, totals }) => ({ key: path, count: 0, ignored: 0, rejected: 0, ...totals }))
        .sort((a, b) => b.count + b.ignored + b.rejected - (a.count + a.ignored + a.rejected))
        .slice(0, 20),
      topPids: [...this.#pidTotals]
        .map(([pid, { count }]) => ({ key: String(pid), count }))
        .sort((a, b) => b.count - a.count)
        .slice(0, 20),
      startups: tally.startups,
      unitChanges: placeUnitChanges(
        tally.unitChanges,
        storms,
        this.#firstTime,
        this.#stormGapSeconds,
      ),
      storms,
      seconds: this.#seconds,
    };
  }

  /** `lines` consecutive logrus lines stamped `time`: the first may open a new second. */
  #enterTime(time: string, lines: number): void {
    if (time === this.#lastTimeText && this.#bucket !== null) return;
    const current = this.#bucket;
    const second = logrusSecond(time);
    this.#firstTime ??= time;
    if (current !== null && second <= this.#lastSecond) {
      // Each of these lines is out of order: the current second stays.
      if (second < this.#lastSecond) this.#outOfOrderLines += lines;
      return;
    }
    if (current !== null) this.#flush(current);
    this.#lastTimeText = time;
    this.#lastSecond = second;
    this.#lastTime = time;
    this.#bucket = {
      serial: this.#bucket === null ? 0 : this.#bucket.serial + 1,
      second,
      time,
      umountCalls: 0,
      ignored: 0,
      rejected: 0,
      targets: new Map(),
      pids: new Map(),
    };
  }

  #current(): Bucket {
    if (this.#bucket === null) throw new Error('unmount event before any logrus line');
    return this.#bucket;
  }

  #received(pid: number): void {
    this.#countCall(pid);
    this.#pending.add(pid);
  }

  #countCall(pid: number): void {
    const bucket = this.#current();
    bucket.umountCalls++;
    this.#totals.umountCalls++;
    if (this.#keepPids) bucket.pids.set(pid, (bucket.pids.get(pid) ?? 0) + 1);
    const recent = this.#recentPid;
    if (recent.pid === pid) {
      recent.count++;
      return;
    }
    let total = this.#olderPid.pid === pid ? this.#olderPid : this.#pidTotals.get(pid);
    if (total === undefined) {
      if (this.#pidTotals.size >= MAX_TALLY_KEYS) return;
      total = { pid, count: 0 };
      this.#pidTotals.set(pid, total);
    }
    total.count++;
    this.#olderPid = recent;
    this.#recentPid = total;
  }

  /** A call whose target line came right after it: with no other pid waiting, they pair. */
  #receivedTarget(pid: number, state: TargetState): void {
    if (this.#pending.size > 0) {
      this.#received(pid);
      this.#target(state);
      return;
    }
    this.#countCall(pid);
    this.#pairedTarget(state, pid);
  }

  #target(state: TargetState): void {
    const waiting = this.#pending.size;
    const pid = this.#pending.takeOldest();
    if (pid < 0) this.#totals.unpairedTargets++;
    else if (waiting > 1) this.#totals.ambiguousPairs++;
    this.#pairedTarget(state, pid);
  }

  /** A target line, paired with `pid` (-1: with none). */
  #pairedTarget(state: TargetState, pid: number): void {
    const seen = this.#secondOf(state, this.#current());
    seen.calls++;
    if (pid >= 0) {
      this.#targets.setLastPid(state, pid);
      addPid(seen, pid);
    }
    if (state.totals !== null) state.totals.count++;
  }

  #decision(state: TargetState, ignored: boolean): void {
    const bucket = this.#current();
    const seen = this.#secondOf(state, bucket);
    const pid = this.#targets.lastPid(state);
    if (pid >= 0) addPid(seen, pid);
    if (ignored) {
      bucket.ignored++;
      seen.ignored++;
      this.#totals.ignored++;
      if (state.totals !== null) state.totals.ignored++;
    } else {
      bucket.rejected++;
      seen.rejected++;
      this.#totals.rejected++;
      if (state.totals !== null) state.totals.rejected++;
    }
  }

  #secondOf(state: TargetState, bucket: Bucket): TargetSecondCounts {
    if (state.secondSerial === bucket.serial && state.second !== null) return state.second;
    let seen = bucket.targets.get(state.path);
    if (seen === undefined) {
      seen = { calls: 0, ignored: 0, rejected: 0, pids: new Set(), recentPid: -1, olderPid: -1 };
      bucket.targets.set(state.path, seen);
    }
    state.second = seen;
    state.secondSerial = bucket.serial;
    return seen;
  }

  #flush(bucket: Bucket): void {
    this.#storms.addSecond(bucket.second, bucket.targets as ReadonlyMap<string, TargetSecond>);
    if (!this.#options.keepSeconds && this.#options.onSecond === undefined) return;

    const row = toRow(bucket);
    if (this.#options.keepSeconds) this.#seconds.push(row);
    this.#options.onSecond?.(row);
  }
}

function kindsOf(tally: LineTally): Record<SysboxFsRecordKind, number> {
  const entries = KINDS.map((kind, at) => [kind, tally.kinds[at] ?? 0]);
  return Object.fromEntries(entries) as Record<SysboxFsRecordKind, number>;
}

/** Levels in the order they first appeared, as the analysis prints them. */
function levelsOf(tally: LineTally): Partial<Record<LogrusLevel, number>> {
  const levels: Partial<Record<LogrusLevel, number>> = {};
  for (const at of tally.levelOrder) {
    const level = LEVELS[at];
    if (level !== undefined) levels[level] = tally.levels[at] ?? 0;
  }
  return levels;
}

function addPid(seen: TargetSecondCounts, pid: number): void {
  if (pid === seen.recentPid || pid === seen.olderPid) return;
  seen.pids.add(pid);
  seen.olderPid = seen.recentPid;
  seen.recentPid = pid;
}

function toRow(bucket: Bucket): SecondCounts {
  const byTarget: SecondCounts['byTarget'] = {};
  for (const [path, seen] of bucket.targets) {
    byTarget[path] = { calls: seen.calls, ignored: seen.ignored, rejected: seen.rejected };
  }
  const byPid: SecondCounts['byPid'] = {};
  for (const [pid, count] of bucket.pids) byPid[String(pid)] = count;
  return {
    time: formatLogrusSecond(bucket.second),
    umountCalls: bucket.umountCalls,
    ignored: bucket.ignored,
    rejected: bucket.rejected,
    byTarget,
    byPid,
  };
}
