import type { MessagePort } from 'node:worker_threads';
import type { MeasureEnv } from './environment.ts';
import type { SeriesSpec } from './series-spec.ts';
import type { SeriesSample } from './types.ts';

/** The series in which the sampler records the CPU its own thread uses. */
export const SAMPLER_SERIES = 'sampler';

// Slots of the Int32Array both threads share.
/** Bumped by the caller after it posted a command: wakes the sampling thread. */
export const WAKE = 0;
/** Bumped by the sampling thread after it answered a command: wakes the caller. */
export const DONE = 1;
/** Rounds the sampling thread has taken but not posted yet. */
export const UNSENT = 2;
export const CONTROL_SLOTS = 3;

export interface WorkerSetup {
  port: MessagePort;
  control: Int32Array;
  intervalMs: number;
  /** The run's origin on the monotonic clock, ns (`process.hrtime.bigint()`). */
  originNs: bigint;
  env: MeasureEnv;
  retryMs: number;
}

export type Command =
  | { op: 'add'; name: string; spec: SeriesSpec }
  | { op: 'start' }
  | { op: 'refresh' }
  | { op: 'sample' }
  | { op: 'flush' }
  | { op: 'stop' };

export type Answer =
  | { ok: true }
  | { ok: false; ambiguous: string }
  | { ok: false; failure: { message: string; stack?: string } };

/** Samples taken since the last batch, by series; `answer` when it answers a command. */
export interface Batch {
  samples: Record<string, SeriesSample[]>;
  answer?: Answer;
  /** Set once a scheduled round failed; the thread then takes no more rounds on its own. */
  failure?: { message: string; stack?: string };
  /** How the rounds are being taken, for the report. */
  core?: string;
}
