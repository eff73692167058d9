import { parseSysboxFsLine } from './parse-line.ts';
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

interface TargetBucket {
  calls: number;
  ignored: number;
  rejected: number;
  pids: Set<number>;
}

interface Bucket {
  second: number;
  time: string;
  umountCalls: number;
  ignored: number;
  rejected: number;
  targets: Map<string, TargetBucket>;
  pids: Map<number, number>;
}

const MAX_TALLY_KEYS = 10_000;
const MAX_PENDING = 4_096;
const MAX_GARBAGE_EXAMPLES = 5;
const MAX_STARTUPS = 100;

/**
 * Turns sysbox-fs lines into per-second unmount counts and storm periods, one line at a
 * time, in memory bounded by the number of distinct targets and pids (capped), not lines.
 *
 * A trapped call is logged as two lines, "Received umount syscall from pid N" and then
 * "target: ...", with no pid on the second. A calling thread is blocked until sysbox-fs
 * answers, so each pid has at most one call in flight: a target line goes to the oldest pid
 * still waiting for its target, and a pid's new call retires its previous one.
 */
export class UnmountLogAggregator {
  readonly #options: AggregatorOptions;
  readonly #storms: StormDetector;
  readonly #analysis: LogAnalysis = emptyAnalysis();
  readonly #targetTotals = new Map<string, { count: number; ignored: number; rejected: number }>();
  readonly #pidTotals = new Map<number, number>();
  readonly #pending = new Map<number, true>();
  readonly #lastPidOfTarget = new Map<string, number>();
  #bucket: Bucket | null = null;
  #lastTimeText = '';
  #lastSecond = 0;

  constructor(options: AggregatorOptions = {}) {
    this.#options = options;
    this.#storms = new StormDetector({ ...DEFAULT_STORM_OPTIONS, ...options.storms });
  }

  pushLine(line: string): void {
    this.push(parseSysboxFsLine(line));
  }

  push(record: SysboxFsRecord): void {
    switch (record.kind) {
      case 'garbage':
        this.countGarbage(record.reason, record.line);
        return;
      case 'journal-meta':
        this.#analysis.lines++;
        this.#analysis.kinds['journal-meta']++;
        return;
      case 'stdlog':
        this.countStdlog(record.fuse, record.journal !== null);
        return;
    }
    this.countLogrus(
      record.kind,
      record.time,
      record.level,
      record.format,
      record.journal !== null,
    );
    switch (record.kind) {
      case 'umount-received':
        this.received(record.pid);
        break;
      case 'umount-target':
        this.target(record.target);
        break;
      case 'submount-ignored':
      case 'submount-rejected':
        this.decision(record.target, record.kind === 'submount-ignored');
        break;
      case 'startup':
        if (this.#analysis.startups.length < MAX_STARTUPS) {
          const { time, message, version, edition } = record;
          this.#analysis.startups.push({ time, message, version, edition });
        }
        break;
      case 'other':
        break;
    }
  }

  // The count*/received/target/decision methods are the events push() derives from a
  // record; the fast scanner calls them directly for the common line shapes.

  countGarbage(reason: string, line: string): void {
    const analysis = this.#analysis;
    analysis.lines++;
    analysis.kinds.garbage++;
    analysis.garbage.count++;
    if (analysis.garbage.examples.length < MAX_GARBAGE_EXAMPLES) {
      analysis.garbage.examples.push({ reason, line });
    }
  }

  countStdlog(fuse: boolean, journalPrefixed: boolean): void {
    const analysis = this.#analysis;
    analysis.lines++;
    analysis.kinds.stdlog++;
    if (journalPrefixed) analysis.formats.journalPrefixed++;
    if (fuse) analysis.debugLines = true;
  }

  /** Counts one logrus line and makes its second the current one. */
  countLogrus(
    kind: SysboxFsRecordKind,
    time: string,
    level: LogrusLevel,
    format: 'text' | 'json',
    journalPrefixed: boolean,
  ): void {
    const analysis = this.#analysis;
    analysis.lines++;
    analysis.kinds[kind]++;
    analysis.formats[format]++;
    if (journalPrefixed) analysis.formats.journalPrefixed++;
    analysis.levels[level] = (analysis.levels[level] ?? 0) + 1;
    if (level === 'debug') analysis.debugLines = true;
    if (time !== this.#lastTimeText || this.#bucket === null) this.#enterSecond(time);
  }

  /** Marks the input's last line as cut off (no trailing newline). */
  notePartialLastLine(): void {
    this.#analysis.partialLastLine = true;
  }

  finish(): LogAnalysis {
    if (this.#bucket !== null) this.#flush(this.#bucket);
    this.#bucket = null;
    const analysis = this.#analysis;
    analysis.storms = this.#storms.finish();
    analysis.behaviour = behaviourOf(analysis.totals.ignored, analysis.totals.rejected);
    analysis.topTargets = [...this.#targetTotals]
      .map(([key, totals]) => ({ key, ...totals }))
      .sort((a, b) => b.count + b.ignored + b.rejected - (a.count + a.ignored + a.rejected))
      .slice(0, 20);
    analysis.topPids = [...this.#pidTotals]
      .map(([pid, count]) => ({ key: String(pid), count }))
      .sort((a, b) => b.count - a.count)
      .slice(0, 20);
    return analysis;
  }

  #enterSecond(time: string): void {
    const current = this.#bucket;
    const second = logrusSecond(time);
    this.#analysis.firstTime ??= time;
    if (current !== null && second <= this.#lastSecond) {
      if (second < this.#lastSecond) this.#analysis.outOfOrderLines++;
      return;
    }
    if (current !== null) this.#flush(current);
    this.#lastTimeText = time;
    this.#lastSecond = second;
    this.#analysis.lastTime = time;
    const bucket: Bucket = {
      second,
      time,
      umountCalls: 0,
      ignored: 0,
      rejected: 0,
      targets: new Map(),
      pids: new Map(),
    };
    this.#bucket = bucket;
  }

  #current(): Bucket {
    if (this.#bucket === null) throw new Error('unmount event before any logrus line');
    return this.#bucket;
  }

  received(pid: number): void {
    const bucket = this.#current();
    bucket.umountCalls++;
    this.#analysis.totals.umountCalls++;
    bucket.pids.set(pid, (bucket.pids.get(pid) ?? 0) + 1);
    addCapped(this.#pidTotals, pid, 1);

    this.#pending.delete(pid);
    this.#pending.set(pid, true);
    if (this.#pending.size > MAX_PENDING) {
      const oldest = this.#pending.keys().next();
      if (!oldest.done) this.#pending.delete(oldest.value);
    }
  }

  target(target: string): void {
    const bucket = this.#current();
    const oldest = this.#pending.keys().next();
    let pid: number | null = null;
    if (oldest.done) {
      this.#analysis.totals.unpairedTargets++;
    } else {
      pid = oldest.value;
      if (this.#pending.size > 1) this.#analysis.totals.ambiguousPairs++;
      this.#pending.delete(pid);
      if (this.#lastPidOfTarget.size >= MAX_TALLY_KEYS) this.#lastPidOfTarget.clear();
      this.#lastPidOfTarget.set(target, pid);
    }
    const seen = targetBucket(bucket, target);
    seen.calls++;
    if (pid !== null) seen.pids.add(pid);
    this.#tallyTarget(target, 'count');
  }

  decision(target: string, ignored: boolean): void {
    const bucket = this.#current();
    const seen = targetBucket(bucket, target);
    const pid = this.#lastPidOfTarget.get(target);
    if (pid !== undefined) seen.pids.add(pid);
    if (ignored) {
      bucket.ignored++;
      seen.ignored++;
      this.#analysis.totals.ignored++;
      this.#tallyTarget(target, 'ignored');
    } else {
      bucket.rejected++;
      seen.rejected++;
      this.#analysis.totals.rejected++;
      this.#tallyTarget(target, 'rejected');
    }
  }

  #tallyTarget(target: string, field: 'count' | 'ignored' | 'rejected'): void {
    let totals = this.#targetTotals.get(target);
    if (totals === undefined) {
      if (this.#targetTotals.size >= MAX_TALLY_KEYS) return;
      totals = { count: 0, ignored: 0, rejected: 0 };
      this.#targetTotals.set(target, totals);
    }
    totals[field]++;
  }

  #flush(bucket: Bucket): void {
    this.#storms.addSecond(bucket.second, bucket.targets as ReadonlyMap<string, TargetSecond>);
    if (!this.#options.keepSeconds && this.#options.onSecond === undefined) return;

    const row = toRow(bucket);
    if (this.#options.keepSeconds) this.#analysis.seconds.push(row);
    this.#options.onSecond?.(row);
  }
}

function targetBucket(bucket: Bucket, target: string): TargetBucket {
  let seen = bucket.targets.get(target);
  if (seen === undefined) {
    seen = { calls: 0, ignored: 0, rejected: 0, pids: new Set() };
    bucket.targets.set(target, seen);
  }
  return seen;
}

function addCapped<K>(tally: Map<K, number>, key: K, by: number): void {
  const count = tally.get(key);
  if (count !== undefined) tally.set(key, count + by);
  else if (tally.size < MAX_TALLY_KEYS) tally.set(key, by);
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

function emptyAnalysis(): LogAnalysis {
  return {
    lines: 0,
    kinds: {
      'umount-received': 0,
      'umount-target': 0,
      'submount-ignored': 0,
      'submount-rejected': 0,
      startup: 0,
      other: 0,
      stdlog: 0,
      'journal-meta': 0,
      garbage: 0,
    },
    levels: {},
    formats: { text: 0, json: 0, journalPrefixed: 0 },
    garbage: { count: 0, examples: [] },
    partialLastLine: false,
    firstTime: null,
    lastTime: null,
    outOfOrderLines: 0,
    totals: { umountCalls: 0, ignored: 0, rejected: 0, unpairedTargets: 0, ambiguousPairs: 0 },
    debugLines: false,
    behaviour: 'unknown',
    topTargets: [],
    topPids: [],
    startups: [],
    storms: [],
    seconds: [],
  };
}
