/**
 * Slots of the Float64Array through which native/log-scanner.c and UnmountEvents share the
 * hot recording state (keep in step with `enum slot` there). Before each native call the
 * events lend their state (UnmountEvents.lend), after it they take back what was recorded
 * (UnmountEvents.settle); the scanner fills the `stop*` slots when it returns.
 */
export const SCAN_STATE = {
  /** in: UnmountEvents.generation, for which cached target indexes are valid */
  generation: 0,
  /** in/out: ops used */
  opCount: 1,
  /** in: where the current run's OP.time is, when its time is the header's; else -1 */
  runAt: 2,
  /** in/out: where the last OP.received is, while a target may still join it; else -1 */
  receivedAt: 3,
  /** out: lines, text lines and FUSE lines recorded natively */
  lines: 4,
  textLines: 5,
  fuseLines: 6,
  /** out: where scanning stopped (a line's start, or the end) */
  stopAt: 7,
  /** out: where a run of lines for the reference parser ends, or a line to record ends */
  stopNext: 8,
  /** out: a line to record: its KIND, LEVEL and pid or cache slot */
  stopKind: 9,
  stopLevel: 10,
  stopValue: 11,
  /** out: 1 when the line to record has a journal prefix */
  stopJournal: 12,
  /** out: lines with a journal prefix recorded natively */
  journalLines: 13,
  /** out: lines recorded natively per KIND index */
  kindCounts: 16,
  /** out: lines recorded natively per LEVEL index */
  levelCounts: 32,
  /** in: 1 where the batch has a line at that LEVEL index already */
  levelSeen: 48,
  /** shared: per cache slot, the target index JavaScript resolved and its generation */
  cache: 64,
  size: 64 + 2 * 16,
} as const;

/** Why the native scanner returned. */
export const SCAN_STOP = {
  /** every complete line is scanned */
  done: 0,
  /** the lines from stopAt to stopNext are for the reference parser */
  slow: 1,
  /** the line at stopAt is recognised, but JavaScript must record it */
  record: 2,
  /**
   * the line at stopAt has a header with a new time, which JavaScript must know; the header
   * starts at stopNext (after a journal prefix)
   */
  header: 3,
} as const;

/** Message cache slots: targets in 0-7, Ignoring/Rejected decisions in 8-15. */
export const CACHE_SLOTS = 16;
