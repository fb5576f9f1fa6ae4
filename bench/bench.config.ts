/** What every system is measured with, so the figures compare. */
export const BENCH = {
  payload: { sku: 'KB-101', quantity: 3, orderId: 'order-1' },
  concurrencies: (process.env.BENCH_CONCURRENCIES ?? '1,16,128').split(',').map(Number),
  warmupMs: 700,
  /** Measured time per system and concurrency, split over `rounds` windows. */
  durationMs: Number(process.env.BENCH_DURATION_MS ?? 3000),
  /** Events per system, split over `rounds` batches. */
  events: Number(process.env.BENCH_EVENTS ?? 60_000),
  /**
   * Rounds of the comparison: in each, every system gets one window (one batch of events) in
   * turn, the order rotating, so slow drift of a shared machine falls on all systems alike.
   */
  rounds: Number(process.env.BENCH_ROUNDS ?? 6),
  /** Unmeasured start of each window, while the in-flight requests ramp up. */
  windowWarmupMs: 100,
  /** Off/on window pairs per workload of the debug logger's cost, and each window's length. */
  costWindows: Number(process.env.BENCH_COST_WINDOWS ?? 16),
  costWindowMs: Number(process.env.BENCH_COST_WINDOW_MS ?? 400),
} as const;

/** Subjects of one bench run, under its own prefix. */
export function benchSubjects(prefix: string) {
  return {
    echo: `${prefix}.bench.echo`,
    event: `${prefix}.bench.evt`,
    done: `${prefix}.bench.done`,
    probe: `${prefix}.bench.probe`,
    debugSwitch: `${prefix}.bench.debug`,
  };
}
