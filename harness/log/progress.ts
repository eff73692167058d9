import { liveLine } from './live-line.ts';
import type { Logger } from './logger.ts';

export interface PhasePlan {
  name: string;
  /** Expected duration; for budgets (boot, probe) the most it may take. */
  expectedMs: number;
}

/**
 * Tells a person where a long run is: on a terminal one live line with the phase, its
 * elapsed time and the run's remaining time; elsewhere (CI) one plain event per phase.
 */
export class Progress {
  readonly #logger: Logger;
  readonly #live: boolean;
  readonly #plan: PhasePlan[];
  #label = '';
  #phase: PhasePlan | undefined;
  #phaseStarted = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(logger: Logger, plan: PhasePlan[], live = process.stderr.isTTY === true) {
    this.#logger = logger;
    this.#plan = plan;
    this.#live = live;
  }

  /** Which scenario (and repetition) the phases that follow belong to. */
  scenario(label: string, plan: PhasePlan[]): void {
    this.#label = label;
    this.#plan.splice(0, this.#plan.length, ...plan);
  }

  phase(name: string): void {
    this.#finishPhase();
    this.#phase = this.#plan.find((p) => p.name === name) ?? { name, expectedMs: 0 };
    this.#phaseStarted = performance.now();
    this.#logger.info(
      { kind: 'phase', scenario: this.#label, phase: name, expectedMs: this.#phase.expectedMs },
      `${this.#label}: ${name} starting`,
    );
    if (this.#live) {
      this.#timer ??= setInterval(() => this.#render(), 250);
      this.#render();
    }
  }

  done(): void {
    this.#finishPhase();
    clearInterval(this.#timer);
    this.#timer = undefined;
    if (this.#live) liveLine.done();
  }

  #finishPhase(): void {
    if (!this.#phase) return;
    const ms = Math.round(performance.now() - this.#phaseStarted);
    this.#logger.info(
      { kind: 'phase-done', scenario: this.#label, phase: this.#phase.name, ms },
      `${this.#label}: ${this.#phase.name} done in ${ms} ms`,
    );
    this.#phase = undefined;
  }

  #render(): void {
    if (!this.#phase) return;
    const elapsed = performance.now() - this.#phaseStarted;
    const index = this.#plan.indexOf(this.#phase);
    const later = this.#plan.slice(index + 1).reduce((sum, p) => sum + p.expectedMs, 0);
    const remaining = Math.max(0, this.#phase.expectedMs - elapsed) + later;
    liveLine.show(
      `${this.#label} | ${this.#phase.name} ${seconds(elapsed)} | about ${seconds(remaining)} left`,
    );
  }
}

function seconds(ms: number): string {
  return `${Math.round(ms / 1000)} s`;
}
