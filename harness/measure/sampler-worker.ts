/**
 * The sampling thread. It sleeps in Atomics.wait until the next round is due or the caller
 * bumps WAKE, so an idle interval costs one futex wake-up and nothing else: no event loop, no
 * timers. Samples stay here until the caller asks for them (or a batch fills up), so the
 * caller's thread is not woken per round either.
 */
import { getPriority, setPriority } from 'node:os';
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { samplerCore } from './native-core.ts';
import { NativeHandoff } from './native-handoff.ts';
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
/**
 * While the native thread takes the rounds, how often this thread looks at them: to post
 * full batches and to notice a series whose files went away, which it then resolves again.
 */
const HOUSEKEEPING_MS = 30_000;
/**
 * Linux gives a nice value to the calling thread alone: this one, and the native thread it
 * starts, which inherits it. Under load a preempted /proc read was measured spanning up to
 * 1.9 s, smearing the window it stamps (nice -10 cut that to under 0.2 s); a few ms a second
 * at a higher priority take nothing measurable from the target.
 */
const SAMPLING_NICE = -10;
/**
 * Rounds in a row a /proc target must have been fit for the native thread before it takes
 * them again, at first and at most. Each hand-back that came before the native thread had taken ten
 * times the current number doubles it: a target that forks now and then should not start
 * and stop a thread (and fill a ring) every few rounds. A long native stretch resets it.
 */
const QUIET_STREAK_FIRST = 1;
const QUIET_STREAK_MOST = 512;

/** Raises this thread's priority where allowed; says which priority the rounds run at. */
function raisePriority(): string {
  try {
    setPriority(SAMPLING_NICE);
  } catch {
    return `nice ${getPriority()}, since raising it needs root`;
  }
  return `nice ${getPriority()}`;
}

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
  #native: NativeHandoff | undefined;
  /** Rounds in a row, up to the last, after which the native thread could have taken over. */
  #quietStreak = 0;
  #quietStreakNeeded = QUIET_STREAK_FIRST;
  /** How often the native thread handed a /proc target back, for the report's sampler line. */
  #handBacks = 0;
  /** CPU of native threads that have finished, s. */
  #nativeFinished = 0;
  readonly #originMonoNs: number;

  constructor(setup: WorkerSetup) {
    this.#setup = setup;
    this.#originMs = performance.now() - Number(process.hrtime.bigint() - setup.originNs) / 1e6;
    this.#originMonoNs = Number(setup.originNs);
  }

  now = (): number => performance.now() - this.#originMs;

  run(): void {
    const control = this.#setup.control;
    while (!this.#stopped) {
      const wake = Atomics.load(control, WAKE);
      if (wake !== this.#seenWake) {
        this.#seenWake = wake;
        this.#answerCommands();
        if (this.#native?.handedBack) this.#takeBack(this.#native);
        this.#tryNative();
        continue;
      }
      if (this.#native) {
        if (this.#waitNative(this.#native, wake) === 'timed-out') this.#housekeep();
        continue;
      }
      const waitMs = this.#dueMs - this.now();
      if (waitMs <= 0) {
        this.#tick();
        this.#tryNative();
      } else
        Atomics.wait(control, WAKE, wake, waitMs === Number.POSITIVE_INFINITY ? undefined : waitMs);
    }
  }

  #answerCommands(): void {
    for (let received = receiveMessageOnPort(this.#setup.port); received; ) {
      const command = received.message as Command;
      // A flush only takes what the native thread has; anything else touches the files, or
      // must fall in time order among its rounds, so the thread stops first.
      if (command.op === 'flush') this.#collectNative();
      else this.#pauseNative();
      this.#answer(this.#execute(command));
      received = receiveMessageOnPort(this.#setup.port);
    }
  }

  /**
   * Sleeps until the caller or the native thread bumps WAKE, or housekeeping is due. A
   * thread that may hand back wakes the kernel's futex, which Atomics.wait does not wait on.
   */
  #waitNative(native: NativeHandoff, wake: number): string {
    const control = this.#setup.control;
    const core = samplerCore();
    if (!native.watchesQuiet || !('addon' in core)) {
      return Atomics.wait(control, WAKE, wake, HOUSEKEEPING_MS);
    }
    return core.addon.futexWait(control, WAKE, wake, HOUSEKEEPING_MS);
  }

  /**
   * The native thread ended at a round that was not quiet: this thread takes that round and
   * the next ones, and waits longer before handing over again if that came soon.
   */
  #takeBack(native: NativeHandoff): void {
    this.#pauseNative();
    this.#handBacks++;
    const soon = native.rounds < 10 * this.#quietStreakNeeded;
    this.#quietStreakNeeded = soon
      ? Math.min(2 * this.#quietStreakNeeded, QUIET_STREAK_MOST)
      : QUIET_STREAK_FIRST;
    this.#quietStreak = 0;
  }

  /**
   * Hands the rounds to the native thread when it is built, the schedule runs and every
   * series is bound to fixed files (a /proc target: quiet long enough); otherwise this thread
   * keeps taking them.
   */
  #tryNative(): void {
    if (this.#native || this.#stopped || this.#failure) return;
    // No schedule, or a round already due: this thread takes that one first.
    if (this.#dueMs === Number.POSITIVE_INFINITY || this.#dueMs <= this.now()) return;
    if (this.#quietStreak < this.#quietStreakNeeded) return;
    const grid = {
      originMonoNs: this.#originMonoNs,
      dueMs: this.#dueMs,
      tick: this.#ticks,
      intervalMs: this.#setup.intervalMs,
      holdMs: 2 * HOUSEKEEPING_MS,
    };
    const wake = { words: this.#setup.control, index: WAKE };
    this.#native = NativeHandoff.start(this.#series.values(), grid, wake);
    // The caller cannot see rounds in the ring: have it ask before it reads samples.
    if (this.#native) Atomics.store(this.#setup.control, UNSENT, 1);
  }

  /** Takes the native thread's rounds and posts a full batch. */
  #housekeep(): void {
    this.#collectNative();
    if (this.#unsent >= BATCH_ROUNDS) this.#post({ samples: this.#drain() });
  }

  /** Takes the native thread's rounds; hands back to this thread if a series went away. */
  #collectNative(): void {
    const native = this.#native;
    if (!native) return;
    try {
      this.#unsent += native.collect();
      this.#recordOwnWithNative(native);
      if (native.anyGone) this.#pauseNative();
    } catch (error) {
      this.#failure = describe(error);
      this.#pauseNative();
      this.#dueMs = Number.POSITIVE_INFINITY;
    }
  }

  /** Stops the native thread, takes its last rounds and picks the schedule up after them. */
  #pauseNative(): void {
    const native = this.#native;
    if (!native) return;
    this.#unsent += native.stop();
    this.#nativeFinished += native.threadSeconds;
    this.#native = undefined;
    this.#recordOwnWithNative(undefined);
    for (const series of this.#series.values()) series.dropGone();

    // Go on from the grid point after the native thread's last round, even if that is past.
    if (native.lastRoundMs === undefined || this.#dueMs === Number.POSITIVE_INFINITY) return;
    const intervalMs = this.#setup.intervalMs;
    this.#ticks = Math.round((native.lastRoundMs - this.#firstMs) / intervalMs) + 1;
    this.#dueMs = this.#firstMs + this.#ticks * intervalMs;
  }

  /**
   * The sampler's own CPU while native rounds run, recorded once per collect rather than per
   * round: this thread's and the native threads', which have no user/system split.
   */
  #recordOwnWithNative(native: NativeHandoff | undefined): void {
    const usage = process.threadCpuUsage();
    const nativeSeconds = this.#nativeFinished + (native?.threadSeconds ?? 0);
    this.#recordOwn(this.now(), (usage.user + usage.system) / 1e6 + nativeSeconds, null, null);
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
      this.#round(this.#ticks);
      this.#schedule();
      if (this.#unsent >= BATCH_ROUNDS) this.#post({ samples: this.#drain() });
    } catch (error) {
      // Stop the schedule, keep answering: the caller's next command reports the failure.
      this.#failure = describe(error);
      this.#dueMs = Number.POSITIVE_INFINITY;
    }
  }

  /**
   * One sample of every series (at grid point `tick`, of those due there), then the CPU this
   * thread has used so far; returns its time. Without a tick (the first round, a phase
   * boundary) every series is read.
   */
  #round(tick?: number): number {
    const intervalMs = this.#setup.intervalMs;
    for (const series of this.#series.values()) {
      if (tick === undefined || tick % series.periodRounds(intervalMs) === 0)
        series.sample(this.now);
    }
    const possible = NativeHandoff.possible(this.#series.values());
    this.#quietStreak = possible ? this.#quietStreak + 1 : 0;
    const usage = process.threadCpuUsage();
    const tMs = this.now();
    const native = this.#nativeFinished;
    const user = usage.user / 1e6;
    const system = usage.system / 1e6;
    // After native rounds, their CPU stays in the total but has no split to add to.
    const split = native === 0;
    this.#recordOwn(tMs, user + system + native, split ? user : null, split ? system : null);
    this.#unsent++;
    Atomics.store(this.#setup.control, UNSENT, this.#unsent);
    return tMs;
  }

  #recordOwn(
    tMs: number,
    totalSeconds: number,
    userSeconds: number | null,
    systemSeconds: number | null,
  ): void {
    const identity = this.#ownIdentity;
    this.#own.push({
      tMs,
      state: 'present',
      reading: { tMs, totalSeconds, userSeconds, systemSeconds, source: 'proc', identity },
    });
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
    batch.core = this.#coreDescription();
    this.#setup.port.postMessage(batch);
    this.#unsent = 0;
    Atomics.store(this.#setup.control, UNSENT, this.#native ? 1 : 0);
  }

  #coreDescription(): string {
    const core = samplerCore();
    const where =
      'missing' in core
        ? `rounds on a Node thread (native core: ${core.missing})`
        : this.#nativeFinished > 0 || this.#native || this.#handBacks > 0
          ? `rounds on the native thread${this.#handBackNote()}`
          : 'rounds on a Node thread (a series needs decisions each round)';
    return `${where}, ${priority}`;
  }

  /** How the native thread and this one shared the rounds of a /proc target, if they did. */
  #handBackNote(): string {
    if (this.#handBacks === 0) return '';
    const times = this.#handBacks === 1 ? 'once' : `${this.#handBacks} times`;
    return (
      `, handing a /proc target back to a Node thread ${times} ` +
      '(a new thread, or a child with a child or thread of its own)'
    );
  }
}

function describe(error: unknown): { message: string; stack?: string } {
  return error instanceof Error
    ? { message: error.message, stack: error.stack }
    : { message: String(error) };
}

const priority = raisePriority();
const loop = new SamplingLoop(workerData as WorkerSetup);
parentPort?.postMessage('ready');
loop.run();
