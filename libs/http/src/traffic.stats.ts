import { durationPercentiles } from '@cliffracer/debug-logger';

/** Requests kept for the latency percentiles. */
const SAMPLES = 2048;
/** The window of the request rate. */
const WINDOW_MS = 60_000;

/** What `/health/detailed` says of the traffic. */
export interface TrafficSnapshot {
  handled: number;
  failed: number;
  ratePerSecond: number;
  p50Ms: number | null;
  p99Ms: number | null;
}

/**
 * Recent traffic of a service (RPC and event handlers, HTTP requests): a count, the rate over
 * the last minute, and latency percentiles over the last samples, in bounded memory.
 */
export class TrafficStats {
  private handled = 0;
  private failed = 0;
  private readonly durations = new Float64Array(SAMPLES);
  private readonly times = new Float64Array(SAMPLES);
  private next = 0;

  constructor(private readonly now: () => number = Date.now) {}

  record(durationMs: number, failed: boolean): void {
    this.handled += 1;
    if (failed) this.failed += 1;
    this.durations[this.next % SAMPLES] = durationMs;
    this.times[this.next % SAMPLES] = this.now();
    this.next += 1;
  }

  snapshot(): TrafficSnapshot {
    const count = Math.min(this.next, SAMPLES);
    const since = this.now() - WINDOW_MS;
    let recent = 0;
    for (let i = 0; i < count; i += 1) if (this.times[i]! >= since) recent += 1;
    const { p50Ms, p99Ms } = durationPercentiles(Array.from(this.durations.subarray(0, count)));
    const rounded = (ms: number | undefined) => (ms === undefined ? null : Math.round(ms * 1000) / 1000);
    // With the sample buffer full, the window may reach further back than the buffer holds.
    const windowMs = count === SAMPLES && recent === SAMPLES ? Math.max(1, this.now() - Math.min(...this.times)) : WINDOW_MS;
    return { handled: this.handled, failed: this.failed, ratePerSecond: Math.round((recent / windowMs) * 1000 * 100) / 100, p50Ms: rounded(p50Ms), p99Ms: rounded(p99Ms) };
  }
}
