import {
  LOGRUS_LEVEL_NAMES,
  type LogrusLevel,
  type SysboxFsRecordKind,
  type UnitChange,
} from './record.ts';

export const KINDS = [
  'umount-received',
  'umount-target',
  'submount-ignored',
  'submount-rejected',
  'startup',
  'other',
  'stdlog',
  'journal-meta',
  'journal-other',
  'garbage',
] as const satisfies readonly SysboxFsRecordKind[];

export const LEVELS = LOGRUS_LEVEL_NAMES;

export const KIND = {
  received: 0,
  target: 1,
  ignored: 2,
  rejected: 3,
  startup: 4,
  other: 5,
  stdlog: 6,
  journalMeta: 7,
  journalOther: 8,
  garbage: 9,
} as const;

export const LEVEL = { debug: 1, info: 2 } as const;

export const MAX_GARBAGE_EXAMPLES = 5;
export const MAX_STARTUPS = 100;
export const MAX_UNIT_CHANGES = 100;

export interface Startup {
  time: string;
  message: string;
  version?: string;
  edition?: string;
}

/** A change of sysbox-fs.service that systemd logged, at its journal time as printed. */
export interface UnitChangeLine extends UnitChange {
  time: string;
}

/**
 * Counts that do not depend on line order across chunks: per-kind, per-level and per-format
 * line counts, the first garbage examples, start-up lines and unit changes. Plain data, so a
 * worker can send it and tallies of consecutive parts of a log add up to the tally of the
 * whole.
 */
export interface LineTally {
  lines: number;
  /** Indexed like KINDS. */
  kinds: number[];
  /** Indexed like LEVELS. */
  levels: number[];
  /** LEVELS indexes in the order the levels first appeared. */
  levelOrder: number[];
  text: number;
  json: number;
  journalPrefixed: number;
  garbage: number;
  garbageExamples: { reason: string; line: string }[];
  debugLines: boolean;
  startups: Startup[];
  unitChanges: UnitChangeLine[];
}

export function emptyTally(): LineTally {
  return {
    lines: 0,
    kinds: KINDS.map(() => 0),
    levels: LEVELS.map(() => 0),
    levelOrder: [],
    text: 0,
    json: 0,
    journalPrefixed: 0,
    garbage: 0,
    garbageExamples: [],
    debugLines: false,
    startups: [],
    unitChanges: [],
  };
}

export function levelIndex(level: LogrusLevel): number {
  return LEVELS.indexOf(level);
}

export function kindIndex(kind: SysboxFsRecordKind): number {
  return KINDS.indexOf(kind);
}

/**
 * The KIND of a line that names an unmount target or a decision on one, whose message a
 * scanner may cache to know it again; undefined for any other line.
 */
export function targetLineKind(kind: SysboxFsRecordKind): number | undefined {
  if (kind === 'umount-target') return KIND.target;
  if (kind === 'submount-ignored') return KIND.ignored;
  if (kind === 'submount-rejected') return KIND.rejected;
  return undefined;
}

/** Adds `later` (the tally of the lines after those of `into`) to `into`. */
export function mergeTally(into: LineTally, later: LineTally): void {
  into.lines += later.lines;
  for (let kind = 0; kind < KINDS.length; kind++) {
    into.kinds[kind] = (into.kinds[kind] ?? 0) + (later.kinds[kind] ?? 0);
  }
  for (const level of later.levelOrder) {
    if ((into.levels[level] ?? 0) === 0) into.levelOrder.push(level);
    into.levels[level] = (into.levels[level] ?? 0) + (later.levels[level] ?? 0);
  }
  into.text += later.text;
  into.json += later.json;
  into.journalPrefixed += later.journalPrefixed;
  into.garbage += later.garbage;
  const examples = MAX_GARBAGE_EXAMPLES - into.garbageExamples.length;
  if (examples > 0) into.garbageExamples.push(...later.garbageExamples.slice(0, examples));
  into.debugLines ||= later.debugLines;
  const startups = MAX_STARTUPS - into.startups.length;
  if (startups > 0) into.startups.push(...later.startups.slice(0, startups));
  const changes = MAX_UNIT_CHANGES - into.unitChanges.length;
  if (changes > 0) into.unitChanges.push(...later.unitChanges.slice(0, changes));
}
