/** Throughput and latency of one load run (or of several, combined). */
export interface LoadResult {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  /** Requests answered in all, warm-up included: what the server's CPU time is divided by. */
  completed: number;
  /** Server CPU time per request in microseconds, when the server was probed. */
  cpuUsPerRequest?: number;
  /** Server CPU time over the run, in microseconds, when the server was probed. */
  cpuUs?: number;
  /** Latency of every measured request, sorted. */
  latencies: number[];
  /** Length of the measured part. */
  elapsedMs: number;
}

/** Several runs of one system as one: requests over the summed time, percentiles over all latencies. */
export function combineLoads(runs: LoadResult[]): LoadResult {
  const latencies = runs.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const elapsedMs = runs.reduce((sum, r) => sum + r.elapsedMs, 0);
  const completed = runs.reduce((sum, r) => sum + r.completed, 0);
  const cpuUs = runs.every((r) => r.cpuUs !== undefined) ? runs.reduce((sum, r) => sum + r.cpuUs!, 0) : undefined;
  return {
    rps: (latencies.length / elapsedMs) * 1000,
    p50Ms: percentileOf(latencies, 0.5),
    p99Ms: percentileOf(latencies, 0.99),
    errors: runs.reduce((sum, r) => sum + r.errors, 0),
    completed,
    ...(cpuUs !== undefined && { cpuUs, cpuUsPerRequest: cpuUs / completed }),
    latencies,
    elapsedMs,
  };
}

function percentileOf(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
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
  return { rps: (latencies.length / elapsed) * 1000, p50Ms: percentileOf(latencies, 0.5), p99Ms: percentileOf(latencies, 0.99), errors, completed, latencies, elapsedMs: elapsed };
}
