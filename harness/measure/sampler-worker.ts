/**
 * The sampling thread. It sleeps in Atomics.wait until the next round is due or the caller
 * bumps WAKE, so an idle interval costs one futex wake-up and nothing else: no event loop, no
 * timers. Samples stay here until the caller asks for them (or a batch fills up), so the
 * caller's thread is not woken per round either.
 */
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import {
  type Answer,
  type Batch,
  type Command,
  DONE,
  SAMPLER_SERIES,
  UNSENT,
  WAKE,
  type WorkerSetup,
} from './sampler-protocol.ts';
import { Series } from './series.ts';
import type { SeriesSample } from './types.ts';

/** Rounds kept before they are posted unasked: bounds the size of one message. */
const BATCH_ROUNDS = 600;

class SamplingLoop {
  readonly #setup: WorkerSetup;
  readonly #series = new Map<string, Series>();
  readonly #own: SeriesSample[] = [];
  readonly #ownIdentity = `sampler thread of pid ${process.pid}`;
  /** This thread's performance.now() at the run's origin. */
  readonly #originMs: number;
  #firstMs = 0;
  #ticks = 0;
  #dueMs = Number.POSITIVE_INFINITY;
  #unsent = 0;
  #seenWake = 0;
  #stopped = false;
  #failure: Batch['failure'];

  constructor(setup: WorkerSetup) {
    this.#setup = setup;
    this.#originMs = performance.now() - Number(process.hrtime.bigint() - setup.originNs) / 1e6;
  }

  now = (): number => performance.now() - this.#originMs;

  run(): void {
    const control = this.#setup.control;
    while (!this.#stopped) {
      const wake = Atomics.load(control, WAKE);
      if (wake !== this.#seenWake) {
        this.#seenWake = wake;
        this.#answerCommands();
        continue;
      }
      const waitMs = this.#dueMs - this.now();
      if (waitMs <= 0) this.#tick();
      else
        Atomics.wait(control, WAKE, wake, waitMs === Number.POSITIVE_INFINITY ? undefined : waitMs);
    }
  }

  #answerCommands(): void {
    for (let received = receiveMessageOnPort(this.#setup.port); received; ) {
      this.#answer(this.#execute(received.message as Command));
      received = receiveMessageOnPort(this.#setup.port);
    }
  }

  #execute(command: Command): Answer {
    try {
      switch (command.op) {
        case 'add':
          return this.#add(command.name, command);
        case 'start':
          this.#firstMs = this.#round();
          this.#schedule();
          return { ok: true };
        case 'refresh':
          for (const series of this.#series.values()) series.resolve(this.now());
          return { ok: true };
        case 'sample':
          this.#round();
          return { ok: true };
        case 'flush':
          return { ok: true };
        case 'stop':
          this.#stopped = true;
          for (const series of this.#series.values()) series[Symbol.dispose]();
          return { ok: true };
      }
    } catch (error) {
      return { ok: false, failure: describe(error) };
    }
  }

  #add(name: string, { spec }: Extract<Command, { op: 'add' }>): Answer {
    const series = new Series(name, spec, this.#setup.env, this.#setup.retryMs);
    const unbound = series.resolve(this.now());
    if (unbound?.state === 'ambiguous') {
      series[Symbol.dispose]();
      return { ok: false, ambiguous: unbound.detail };
    }
    this.#series.set(name, series);
    return { ok: true };
  }

  #tick(): void {
    try {
      this.#round();
      this.#schedule();
      if (this.#unsent >= BATCH_ROUNDS) this.#post({ samples: this.#drain() });
    } catch (error) {
      // Stop the schedule, keep answering: the caller's next command reports the failure.
      this.#failure = describe(error);
      this.#dueMs = Number.POSITIVE_INFINITY;
    }
  }

  /** One sample of every series, then the CPU this thread has used so far; returns its time. */
  #round(): number {
    for (const series of this.#series.values()) series.sample(this.now);
    const usage = process.threadCpuUsage();
    const tMs = this.now();
    this.#own.push({
      tMs,
      state: 'present',
      reading: {
        tMs,
        totalSeconds: (usage.user + usage.system) / 1e6,
        userSeconds: usage.user / 1e6,
        systemSeconds: usage.system / 1e6,
        source: 'proc',
        identity: this.#ownIdentity,
      },
    });
    this.#unsent++;
    Atomics.store(this.#setup.control, UNSENT, this.#unsent);
    return tMs;
  }

  // Rounds fall on a fixed grid from the first one, so a late round does not shift the rest.
  #schedule(): void {
    const nowMs = this.now();
    do this.#dueMs = this.#firstMs + ++this.#ticks * this.#setup.intervalMs;
    while (this.#dueMs < nowMs);
  }

  #drain(): Record<string, SeriesSample[]> {
    const samples: Record<string, SeriesSample[]> = {};
    for (const [name, series] of this.#series) {
      if (series.samples.length > 0) samples[name] = series.samples.splice(0);
    }
    if (this.#own.length > 0) samples[SAMPLER_SERIES] = this.#own.splice(0);
    return samples;
  }

  #answer(answer: Answer): void {
    this.#post({ samples: this.#drain(), answer });
    Atomics.add(this.#setup.control, DONE, 1);
    Atomics.notify(this.#setup.control, DONE);
  }

  #post(batch: Batch): void {
    if (this.#failure) batch.failure = this.#failure;
    this.#setup.port.postMessage(batch);
    this.#unsent = 0;
    Atomics.store(this.#setup.control, UNSENT, 0);
  }
}

function describe(error: unknown): { message: string; stack?: string } {
  return error instanceof Error
    ? { message: error.message, stack: error.stack }
    : { message: String(error) };
}

const loop = new SamplingLoop(workerData as WorkerSetup);
parentPort?.postMessage('ready');
loop.run();
