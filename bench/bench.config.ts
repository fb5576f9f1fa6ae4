/** What every system is measured with, so the figures compare. */
export const BENCH = {
  payload: { sku: 'KB-101', quantity: 3, orderId: 'order-1' },
  concurrencies: [1, 16, 128],
  warmupMs: 700,
  durationMs: Number(process.env.BENCH_DURATION_MS ?? 3000),
  events: Number(process.env.BENCH_EVENTS ?? 50_000),
} as const;

/** Subjects of one bench run, under its own prefix. */
export function benchSubjects(prefix: string) {
  return {
    echo: `${prefix}.bench.echo`,
    event: `${prefix}.bench.evt`,
    done: `${prefix}.bench.done`,
  };
}
