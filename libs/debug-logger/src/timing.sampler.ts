import { round } from './round.js';

/** Length of a sampling window, in milliseconds. */
export const SAMPLING_WINDOW_MS = 1000;

/** What one window left out: written once, as a `timings.sampled` entry, when it ends. */
export interface SampledWindow {
  /** Entries left out. */
  skipped: number;
  /** Entries written. */
  written: number;
  window_ms: number;
  /** Mean and longest duration of the entries left out. */
  skipped_mean_ms: number;
  skipped_max_ms: number;
}

/**
 * Thins one category's timing entries under heavy load (the original debug mode's plan: keep
 * every stress event, sample normal operations). Every failed or slow entry is written. Of
 * the rest, those whose correlation ID falls in one in `stride` are written, the stride a power
 * of two set from the previous window's rate, so about half to all of `perSecond` a second, and
 * never more. Drawing by correlation ID keeps a request's entries (its calls and its handling)
 * together, in every service sampling at that stride or a smaller one. What is left out is
 * counted, with its mean and longest duration, and summed up once the window ends. A window
 * after one with fewer than `perSecond` entries writes every entry.
 */
export class TimingSampler {
  private windowStart: number;
  private seen = 0;
  private written = 0;
  private sampled = 0;
  private stride = 1;
  private skipped = 0;
  private skippedMs = 0;
  private skippedMaxMs = 0;

  constructor(
    private readonly perSecond: number,
    now: number,
  ) {
    this.windowStart = now;
  }

  /** True when the window that holds `now` (a monotonic clock, in ms) is not the current one. */
  ended(now: number): boolean {
    return now - this.windowStart >= SAMPLING_WINDOW_MS;
  }

  /** True while the current window has left entries out: its summary is still to come. */
  get pending(): boolean {
    return this.skipped > 0;
  }

  /** True when the entry is to be written; otherwise it is counted. */
  admit(durationMs: number, keep: boolean, correlationId: string): boolean {
    this.seen += 1;
    if (keep || (this.sampled < this.perSecond && (this.stride === 1 || (hashOf(correlationId) & (this.stride - 1)) === 0))) {
      this.written += 1;
      if (!keep) this.sampled += 1;
      return true;
    }
    this.skipped += 1;
    this.skippedMs += durationMs;
    if (durationMs > this.skippedMaxMs) this.skippedMaxMs = durationMs;
    return false;
  }

  /** Starts a new window at `now`; gives the summary of the one that ended, if it left entries out. */
  roll(now: number): SampledWindow | undefined {
    const windowMs = now - this.windowStart;
    const summary: SampledWindow | undefined =
      this.skipped === 0
        ? undefined
        : { skipped: this.skipped, written: this.written, window_ms: round(windowMs), skipped_mean_ms: round(this.skippedMs / this.skipped), skipped_max_ms: round(this.skippedMaxMs) };
    const rate = (this.seen * SAMPLING_WINDOW_MS) / Math.max(windowMs, SAMPLING_WINDOW_MS);
    this.stride = rate <= this.perSecond ? 1 : 2 ** Math.ceil(Math.log2(rate / this.perSecond));
    this.windowStart = now;
    this.seen = 0;
    this.written = 0;
    this.sampled = 0;
    this.skipped = 0;
    this.skippedMs = 0;
    this.skippedMaxMs = 0;
    return summary;
  }
}

// FNV-1a with a final mix over the ID's last 12 characters (a UUID's random ones; what varies
// in sequential IDs): correlation IDs spread evenly over the low bits the stride reads, at a
// third of a whole UUID's cost, paid per message under load.
function hashOf(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = Math.max(0, id.length - 12); i < id.length; i += 1) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193);
  hash ^= hash >>> 16;
  return hash >>> 0;
}
