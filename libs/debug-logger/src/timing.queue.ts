import type { TimingEntry } from './entry.encoder.js';

/** Timings held before they are encoded in one go. */
const MAX_PENDING = 256;

/**
 * Timing entries held as they arrive and encoded later in one batch. A handler's path then
 * pays for an array push and a clock read only; the encoding runs in a tight loop, with its
 * code and data hot, instead of once per message among the handler's own work.
 */
export class TimingQueue {
  private categories: string[] = [];
  private msgs: string[] = [];
  private timings: TimingEntry[] = [];
  private times: number[] = [];

  get size(): number {
    return this.timings.length;
  }

  /** Adds one; true when the queue is full and should be drained now. */
  push(category: string, msg: string, timing: TimingEntry, at: number): boolean {
    this.categories.push(category);
    this.msgs.push(msg);
    this.timings.push(timing);
    this.times.push(at);
    return this.timings.length >= MAX_PENDING;
  }

  /** Hands every held entry, in arrival order, to `encode`, and empties the queue. */
  drain(encode: (category: string, msg: string, timing: TimingEntry, at: number) => void): void {
    const { categories, msgs, timings, times } = this;
    if (timings.length === 0) return;
    this.categories = [];
    this.msgs = [];
    this.timings = [];
    this.times = [];
    for (let i = 0; i < timings.length; i += 1) encode(categories[i]!, msgs[i]!, timings[i]!, times[i]!);
  }
}
