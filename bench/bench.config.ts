/** What every system is measured with, so the figures compare. */
export const BENCH = {
  payload: { sku: 'KB-101', quantity: 3, orderId: 'order-1' },
  concurrencies: [1, 16, 128],
  warmupMs: 700,
  durationMs: Number(process.env.BENCH_DURATION_MS ?? 3000),
  events: Number(process.env.BENCH_EVENTS ?? 50_000),
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
