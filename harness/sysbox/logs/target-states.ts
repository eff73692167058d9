/** Whole-log counts of one target. */
export interface TargetTotals {
  count: number;
  ignored: number;
  rejected: number;
}

/** What one second saw on one target. */
export interface TargetSecondCounts {
  calls: number;
  ignored: number;
  rejected: number;
  pids: Set<number>;
  /** The pids added last, so the common repeats skip the Set. */
  recentPid: number;
  olderPid: number;
}

/** Everything the aggregator keeps per target path, found with one lookup per batch. */
export interface TargetState {
  path: string;
  /** Null once the capped tally was full when the target first appeared. */
  totals: TargetTotals | null;
  lastPid: number;
  lastPidEpoch: number;
  second: TargetSecondCounts | null;
  secondSerial: number;
}

/**
 * Per-target state with the caps the analysis promises: whole-log totals for the first
 * `limit` targets, and the pid that last called each target, forgotten all at once when
 * `limit` targets have one (so a log with endless distinct targets stays in bounded memory).
 */
export class TargetStates {
  readonly #limit: number;
  readonly #states = new Map<string, TargetState>();
  /** Tallied targets in the order they first appeared. */
  readonly tallied: TargetState[] = [];
  #lastPidEpoch = 0;
  #lastPidCount = 0;

  constructor(limit: number) {
    this.#limit = limit;
  }

  get(path: string): TargetState {
    let state = this.#states.get(path);
    if (state === undefined) {
      const totals =
        this.tallied.length < this.#limit ? { count: 0, ignored: 0, rejected: 0 } : null;
      state = { path, totals, lastPid: 0, lastPidEpoch: -1, second: null, secondSerial: -1 };
      if (totals !== null) this.tallied.push(state);
      this.#states.set(path, state);
    }
    return state;
  }

  setLastPid(state: TargetState, pid: number): void {
    if (this.#lastPidCount >= this.#limit) {
      this.#lastPidEpoch++;
      this.#lastPidCount = 0;
    }
    if (state.lastPidEpoch !== this.#lastPidEpoch) {
      state.lastPidEpoch = this.#lastPidEpoch;
      this.#lastPidCount++;
    }
    state.lastPid = pid;
  }

  /** The pid that last called this target, or -1. */
  lastPid(state: TargetState): number {
    return state.lastPidEpoch === this.#lastPidEpoch ? state.lastPid : -1;
  }

  /** Forgets states that hold nothing any more; only between batches (they cache states). */
  prune(currentSerial: number): void {
    if (this.#states.size <= 4 * this.#limit) return;
    for (const [path, state] of this.#states) {
      const holds =
        state.totals !== null ||
        state.lastPidEpoch === this.#lastPidEpoch ||
        state.secondSerial === currentSerial;
      if (!holds) this.#states.delete(path);
    }
  }
}
