import { HarnessError } from '../errors/harness-error.ts';
import type { Progress } from '../log/progress.ts';
import type { Phase, PhaseName } from '../report/schema.ts';
import type { RunClock } from './clock.ts';

/** Phases that must run even once the run is interrupted: they clean up. */
const CLEANUP_PHASES: ReadonlySet<PhaseName> = new Set(['removal']);

/**
 * Records phase boundaries on the run clock and tells the progress display. Once the run's
 * signal is aborted no phase but removal starts, and a running one is left at once: its step
 * may go on (an exec in a container the removal ends), but the run does not wait for it.
 */
export class PhaseRecorder {
  readonly phases: Phase[] = [];
  readonly #clock: RunClock;
  readonly #progress: Progress;
  readonly #onBoundary: () => void;
  readonly #signal: AbortSignal | undefined;

  /** `onBoundary` runs as each phase starts and ends, e.g. to take a sample exactly there. */
  constructor(
    clock: RunClock,
    progress: Progress,
    onBoundary: () => void = () => {},
    signal?: AbortSignal,
  ) {
    this.#clock = clock;
    this.#progress = progress;
    this.#onBoundary = onBoundary;
    this.#signal = signal;
  }

  async run<T>(name: PhaseName, step: () => Promise<T>): Promise<T> {
    const signal = CLEANUP_PHASES.has(name) ? undefined : this.#signal;
    if (signal?.aborted) throw interrupted(name);
    this.#onBoundary();
    const phase: Phase = { name, startMs: this.#clock.now(), endMs: this.#clock.now() };
    this.phases.push(phase);
    this.#progress.phase(name);
    try {
      return await (signal ? untilAborted(step(), signal, name) : step());
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

function interrupted(name: PhaseName): HarnessError {
  return new HarnessError('interrupted', `interrupted during ${name}`);
}

/** The step's result, or an interrupted error as soon as the signal is aborted. */
function untilAborted<T>(step: Promise<T>, signal: AbortSignal, name: PhaseName): Promise<T> {
  step.catch(() => {}); // a step left behind may still fail; nobody waits for it then
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(interrupted(name));
    signal.addEventListener('abort', onAbort, { once: true });
    step.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
