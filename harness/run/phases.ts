import type { Progress } from '../log/progress.ts';
import type { Phase, PhaseName } from '../report/schema.ts';
import type { RunClock } from './clock.ts';

/** Records phase boundaries on the run clock and tells the progress display. */
export class PhaseRecorder {
  readonly phases: Phase[] = [];
  readonly #clock: RunClock;
  readonly #progress: Progress;
  readonly #onBoundary: () => void;

  /** `onBoundary` runs as each phase starts and ends, e.g. to take a sample exactly there. */
  constructor(clock: RunClock, progress: Progress, onBoundary: () => void = () => {}) {
    this.#clock = clock;
    this.#progress = progress;
    this.#onBoundary = onBoundary;
  }

  async run<T>(name: PhaseName, step: () => Promise<T>): Promise<T> {
    this.#onBoundary();
    const phase: Phase = { name, startMs: this.#clock.now(), endMs: this.#clock.now() };
    this.phases.push(phase);
    this.#progress.phase(name);
    try {
      return await step();
    } catch (error) {
      phase.note = error instanceof Error ? error.message : String(error);
      throw error;
    } finally {
      phase.endMs = this.#clock.now();
      this.#onBoundary();
    }
  }

  note(name: PhaseName, note: string): void {
    const phase = this.phases.findLast((p) => p.name === name);
    if (phase) phase.note = note;
  }

  find(name: PhaseName): Phase | undefined {
    return this.phases.findLast((p) => p.name === name);
  }
}
