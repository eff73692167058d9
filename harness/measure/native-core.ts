import { readFileSync } from 'node:fs';
import { hostNotReady } from '../errors/harness-error.ts';
import {
  loadNativeAddon,
  NATIVE_BUILD_HINT,
  type NativeAddon,
  nativeSetting,
} from '../native/addons.ts';
import type { Bytes } from './bytes.ts';

/** The compiled sampling thread (native/sampler-core.c), built by `npm ci` when a C compiler is there. */
interface SamplerCoreAddon {
  start(
    ring: SharedArrayBuffer,
    fds: number[],
    firstDueNs: number,
    intervalNs: number,
    periods: number[],
    firstTick: number,
    quiet?: NativeQuietOptions,
  ): object;
  stop(handle: object): void;
  /** CPU of every thread of `pid`, exited ones included, ns; -errno when it cannot be read. */
  processCpuNs(pid: number): number;
  /** Reads `fd` from offset 0 into `bytes`: the byte count, or -errno. */
  pread(fd: number, bytes: Uint8Array): number;
  /** Atomics.wait on the kernel's futex, which the native thread can wake (V8's cannot be). */
  futexWait(
    words: Int32Array,
    index: number,
    expected: number,
    timeoutMs: number,
  ): 'ok' | 'not-equal' | 'timed-out';
  /** Wakes futexWait's waiters on words[index]. */
  futexWake(words: Int32Array, index: number): number;
}

/** What start's last argument says in the C part's terms: see native/quiet-rounds.h. */
interface NativeQuietOptions {
  kinds: number[];
  checks: {
    statSlot: number;
    liveSlot: number;
    threads: number;
    listFd: number;
    listPath: string;
    allowed: number[];
    empty: number[];
  }[];
  wake: Int32Array;
  wakeIndex: number;
}

/**
 * The most the C part holds per quiet check (native/quiet-rounds.h): allowed pids, and
 * children files (one per thread). A process past either is left to the Node thread.
 */
export const QUIET_LIMITS = { allowed: 1024, threads: 64 };

/**
 * What keeps a round of a process read through /proc free of decisions: its stat shows
 * `threads` threads; the children its threads' children files list (`empty` when there is a
 * `list`) are single-threaded and have no child of their own; where there is a `list`, its
 * cgroup's pid list holds only `allowed` (the process first, then pids known not to descend
 * from it). A round that finds otherwise is left to the Node thread.
 */
export interface QuietCheck {
  threads: number;
  /** Its cgroup's pid list: kept open (v2), or opened per read (v1). */
  list?: { fd: number } | { path: string };
  /** The process, then the others in ascending order. */
  allowed: number[];
  /** Descriptors of its threads' children files. */
  empty: number[];
}

/**
 * A slot of a round: a file re-read from offset 0, a process's CPU-time clock as text, or
 * what a quiet check summed of its process's children ("count ns userTicks systemTicks").
 */
export type NativeSlot =
  | { fd: number; period: number }
  | { clockPid: number; period: number }
  | { liveOf: 'check'; period: number };

/**
 * Quiet checks, each naming the slots of its process's stat and of its children's sum, and
 * the word to wake on a miss.
 */
export interface NativeQuiet {
  checks: { statSlot: number; liveSlot: number; check: QuietCheck }[];
  wake: { words: Int32Array; index: number };
}

const HEADER_BYTES = 64;
/** The header's int32 that the thread sets when it has handed the rounds back. */
const HANDED_BACK = 5;
/** The header's float64, at this byte, where the thread writes the CPU it ran as it ends. */
const OWN_CPU_AT = 24;
/**
 * Bytes kept per file per round: every counter file and /proc/<pid>/stat fit, and of
 * /proc/stat only the first line is used.
 */
export const SLOT_BYTES = 512;

const SETTING = 'SYSBOX_REPRO_SAMPLER_CORE';

let loaded: NativeAddon<SamplerCoreAddon> | undefined;

/**
 * Checks SYSBOX_REPRO_SAMPLER_CORE before a run: unset (native when built), "js" (always the
 * Node thread) or "native" (refuse to run without it, for CI that must measure at low cost).
 */
export function checkSamplerCoreSetting(): void {
  if (nativeSetting(SETTING) !== 'native') return;
  const core = samplerCore();
  if ('missing' in core) {
    throw hostNotReady(`${SETTING}=native, but ${core.missing}`, NATIVE_BUILD_HINT);
  }
}

/** The addon, or why it is not there: rounds are then taken on the sampler's own JS thread. */
export function samplerCore(): NativeAddon<SamplerCoreAddon> {
  loaded ??=
    process.env[SETTING] === 'js'
      ? { missing: `${SETTING}=js` }
      : loadNativeAddon<SamplerCoreAddon>('sampler_core');
  return loaded;
}

/** One round as the native thread took it. */
export interface NativeRound {
  /** CLOCK_MONOTONIC when the round began, ns. */
  monoNs: number;
  /** The grid point k of the round: it was due at firstDueNs + (k - firstTick) * intervalNs. */
  tick: number;
  /**
   * Each file's content, in the order given; undefined where the read failed, was empty or
   * was not due (see `periods`).
   * Views into the ring: parse them before the next drain.
   */
  files: (Bytes | undefined)[];
}

/** Where the rounds fall: grid point `firstTick` is due at `firstDueNs`. */
export interface NativeGrid {
  firstDueNs: number;
  intervalNs: number;
  firstTick: number;
}

/**
 * The native thread reading `slots` on the grid firstDueNs + k * intervalNs into a ring, each
 * only at grid points that are a multiple of its period; the caller drains the ring before it
 * holds `capacity` rounds and stops it before closing a fd. With `quiet`, the thread ends at
 * the first round a check fails, without writing it, and wakes the caller (`handedBack`).
 */
export class NativeRounds {
  readonly #addon: SamplerCoreAddon;
  readonly #ring: SharedArrayBuffer;
  readonly #header: Int32Array;
  readonly #view: DataView;
  readonly #bytes: Uint8Array;
  readonly #capacity: number;
  readonly #files: number;
  #handle: object | undefined;
  #drained = 0;

  constructor(
    addon: SamplerCoreAddon,
    slots: NativeSlot[],
    grid: NativeGrid,
    capacity: number,
    quiet?: NativeQuiet,
  ) {
    const fds = slots.map((slot) =>
      'fd' in slot ? slot.fd : 'clockPid' in slot ? slot.clockPid : -1,
    );
    this.#addon = addon;
    this.#capacity = capacity;
    this.#files = fds.length;
    const recordBytes = 16 + fds.length * (8 + SLOT_BYTES);
    this.#ring = new SharedArrayBuffer(HEADER_BYTES + capacity * recordBytes);
    this.#header = new Int32Array(this.#ring, 0, HANDED_BACK + 1);
    this.#header.set([0, capacity, fds.length, SLOT_BYTES]);
    this.#view = new DataView(this.#ring);
    this.#bytes = new Uint8Array(this.#ring);
    // Touch every page now: a first write to a fresh page faults, which in a VM costs the
    // sampling thread more than its reads, once per page of the ring.
    this.#bytes.fill(1, HEADER_BYTES);
    const periods = slots.map((slot) => slot.period);
    const { firstDueNs, intervalNs, firstTick } = grid;
    const options = nativeOptions(slots, quiet);
    this.#handle = addon.start(
      this.#ring,
      fds,
      firstDueNs,
      intervalNs,
      periods,
      firstTick,
      options,
    );
  }

  /** Whether the thread ended at a round that was not quiet: the caller takes the rounds. */
  get handedBack(): boolean {
    return Atomics.load(this.#header, HANDED_BACK) === 1;
  }

  /** Rounds taken since the last drain, oldest first; throws if some were overwritten. */
  drain(): NativeRound[] {
    const written = Atomics.load(this.#header, 0);
    if (written - this.#drained > this.#capacity) {
      throw new Error(
        `native sampler ring overran: ${written - this.#drained} rounds, room for ${this.#capacity}`,
      );
    }
    const rounds: NativeRound[] = [];
    for (; this.#drained < written; this.#drained++) rounds.push(this.#read(this.#drained));
    return rounds;
  }

  #read(round: number): NativeRound {
    const recordBytes = 16 + this.#files * (8 + SLOT_BYTES);
    const at = HEADER_BYTES + (round % this.#capacity) * recordBytes;
    const files: (Bytes | undefined)[] = [];
    for (let index = 0; index < this.#files; index++) {
      const slot = at + 16 + index * (8 + SLOT_BYTES);
      const length = this.#view.getInt32(slot, true);
      // A view, not a copy: an ArrayBuffer per file per round would keep V8's collector busy,
      // and the thread cannot come round to this slot again before the caller has parsed it.
      files.push(length > 0 ? this.#bytes.subarray(slot + 8, slot + 8 + length) : undefined);
    }
    return {
      monoNs: this.#view.getFloat64(at, true),
      tick: this.#view.getFloat64(at + 8, true),
      files,
    };
  }

  /**
   * Seconds of CPU the thread has run: what it wrote as it ended, or while it runs, from its
   * schedstat (reading its own clock each round would cost it one more system call per
   * round). Undefined before it started.
   */
  threadCpuSeconds(): number | undefined {
    const endedNs = this.#view.getFloat64(OWN_CPU_AT, true);
    if (endedNs > 0) return endedNs / 1e9;
    const tid = Atomics.load(this.#header, 4);
    if (tid === 0 || !this.#handle) return undefined;
    try {
      return Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'latin1').split(' ')[0]) / 1e9;
    } catch {
      return undefined;
    }
  }

  /** Waits for the thread to finish its round in progress; the ring stays readable. */
  stop(): void {
    if (this.#handle) this.#addon.stop(this.#handle);
    this.#handle = undefined;
  }
}

/** Start's last argument, when a slot is a clock or a check is asked for. */
function nativeOptions(slots: NativeSlot[], quiet?: NativeQuiet): NativeQuietOptions | undefined {
  const kinds = slots.map((slot) => ('fd' in slot ? 0 : 'clockPid' in slot ? 1 : 2));
  if (!quiet && kinds.every((kind) => kind === 0)) return undefined;
  const checks = (quiet?.checks ?? []).map(({ statSlot, liveSlot, check }) => ({
    statSlot,
    liveSlot,
    threads: check.threads,
    listFd: check.list && 'fd' in check.list ? check.list.fd : -1,
    listPath: check.list && 'path' in check.list ? check.list.path : '',
    allowed: check.allowed,
    empty: check.empty,
  }));
  const wake = quiet?.wake ?? { words: new Int32Array(new SharedArrayBuffer(4)), index: 0 };
  return { kinds, checks, wake: wake.words, wakeIndex: wake.index };
}
