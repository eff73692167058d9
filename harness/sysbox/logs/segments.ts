import type { EventBatch } from './unmount-events.ts';

/** Scan the lines that begin in [from, to) of the worker's file. */
export interface SegmentRequest {
  index: number;
  from: number;
  to: number;
  /** A returned ops array the worker may record the next batch into. */
  spareOps?: Float64Array;
}

export interface SegmentResult {
  index: number;
  batch: EventBatch;
  partialLastLine: boolean;
}
