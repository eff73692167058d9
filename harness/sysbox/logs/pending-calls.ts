/**
 * The pids whose trapped call still waits for its target line, oldest first, capped.
 * A pid's new call moves it to the back. Built on a queue of (pid, sequence) entries
 * where only an entry whose sequence is still the pid's current one is live, so the hot
 * operations neither delete from a Map (which shrinks and reallocates it) nor allocate.
 */
export class PendingCalls {
  readonly #limit: number;
  readonly #sequenceOf = new Map<number, number>();
  #pids = new Float64Array(64);
  #sequences = new Float64Array(64);
  #head = 0;
  #tail = 0;
  #next = 1;
  #size = 0;

  constructor(limit: number) {
    this.#limit = limit;
  }

  get size(): number {
    return this.#size;
  }

  add(pid: number): void {
    const previous = this.#sequenceOf.get(pid) ?? 0;
    if (previous <= 0) this.#size++;
    const sequence = this.#next++;
    this.#sequenceOf.set(pid, sequence);
    if (this.#tail === this.#pids.length) this.#compact();
    this.#pids[this.#tail] = pid;
    this.#sequences[this.#tail++] = sequence;
    if (this.#size > this.#limit) this.takeOldest();
  }

  /** Removes and returns the oldest waiting pid, or -1 when none waits. */
  takeOldest(): number {
    while (this.#head < this.#tail) {
      const pid = this.#pids[this.#head] ?? 0;
      const sequence = this.#sequences[this.#head++];
      if (this.#sequenceOf.get(pid) !== sequence) continue;
      this.#sequenceOf.set(pid, 0);
      this.#size--;
      return pid;
    }
    return -1;
  }

  /** Drops dead entries; grows the queue only when the live ones fill half of it. */
  #compact(): void {
    if (this.#sequenceOf.size > 4 * this.#limit) {
      for (const [pid, sequence] of this.#sequenceOf)
        if (sequence === 0) this.#sequenceOf.delete(pid);
    }
    let live = 0;
    for (let at = this.#head; at < this.#tail; at++) {
      const pid = this.#pids[at] ?? 0;
      if (this.#sequenceOf.get(pid) !== this.#sequences[at]) continue;
      this.#pids[live] = pid;
      this.#sequences[live++] = this.#sequences[at] ?? 0;
    }
    this.#head = 0;
    this.#tail = live;
    if (live * 2 > this.#pids.length) {
      const pids = new Float64Array(this.#pids.length * 2);
      const sequences = new Float64Array(this.#pids.length * 2);
      pids.set(this.#pids.subarray(0, live));
      sequences.set(this.#sequences.subarray(0, live));
      this.#pids = pids;
      this.#sequences = sequences;
    }
  }
}
