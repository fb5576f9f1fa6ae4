/** Throughput and latency of one load run. */
export interface LoadResult {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  /** Requests answered in all, warm-up included: what the server's CPU time is divided by. */
  completed: number;
  /** Server CPU time per request in microseconds, when the server was probed. */
  cpuUsPerRequest?: number;
}

/**
 * Keeps `concurrency` requests in flight for `durationMs` (after a warm-up that is not
 * counted) and records each request's latency.
 */
export async function runLoad(
  request: () => Promise<unknown>,
  concurrency: number,
  durationMs: number,
  warmupMs: number,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  let completed = 0;
  let measuring = false;
  let stopAt = Number.POSITIVE_INFINITY;
  const worker = async () => {
    while (performance.now() < stopAt) {
      const start = performance.now();
      try {
        await request();
        completed += 1;
        if (measuring) latencies.push(performance.now() - start);
      } catch {
        if (measuring) errors += 1;
      }
    }
  };
  stopAt = performance.now() + warmupMs + durationMs;
  const workers = Array.from({ length: concurrency }, worker);
  await new Promise((r) => setTimeout(r, warmupMs));
  measuring = true;
  const measuredFrom = performance.now();
  await Promise.all(workers);
  const elapsed = performance.now() - measuredFrom;
  latencies.sort((a, b) => a - b);
  const pick = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { rps: (latencies.length / elapsed) * 1000, p50Ms: pick(0.5), p99Ms: pick(0.99), errors, completed };
}
