import { BENCH } from './bench.config.js';
import type { MemoryResult } from './compare.js';
import type { CostPair, WindowResult } from './debug-logger-cost.js';
import type { LoadResult } from './load.js';
import type { RepositoryResult } from './repository-bench.js';
import type { EventResult } from './running-system.js';
import { CEILING, PEERS } from './systems.js';

const micros = (us: number | undefined) => (us === undefined ? '-' : us.toFixed(1));

function row(cells: string[], widths: number[]): string {
  return cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
}

function print(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  console.log(row(header, widths));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(row(r, widths));
}

const percentOf = (value: number, base: number | undefined) => (base === undefined || base === 0 ? '-' : `${((value / base) * 100).toFixed(0)}%`);

/** The best of the peers' figures, from each peer's `pick`. */
function bestPeer<T>(results: Map<string, T>, pick: (result: T) => number): number | undefined {
  const figures = PEERS.flatMap((name) => (results.has(name) ? [pick(results.get(name)!)] : []));
  return figures.length === 0 ? undefined : Math.max(...figures);
}

/**
 * Request/reply: req/s, p50, p99, the share of the ceiling (raw nats.js without async traces)
 * and of the best peer at that concurrency, and the server's CPU per request.
 */
export function printRpcTable(results: Map<string, LoadResult[]>, concurrencies: readonly number[]): void {
  const ceiling = results.get(CEILING);
  console.log(`\nRequest/reply (client and server in separate processes; ${BENCH.rounds} interleaved windows per system, ${BENCH.durationMs} ms measured in all)\n`);
  const rows: string[][] = [];
  for (const [name, runs] of results) {
    runs.forEach((r, i) => {
      const peer = bestPeer(results, (peerRuns) => peerRuns[i]!.rps);
      rows.push([name, String(concurrencies[i]), r.rps.toFixed(0), r.p50Ms.toFixed(3), r.p99Ms.toFixed(3), percentOf(r.rps, ceiling?.[i]!.rps), percentOf(r.rps, peer), micros(r.cpuUsPerRequest), String(r.errors)]);
    });
  }
  print(['system', 'in flight', 'req/s', 'p50 ms', 'p99 ms', 'vs ceiling', 'vs best peer', 'server CPU µs/req', 'errors'], rows);
}

/** Events: publish → handler throughput, the share of the ceiling and of the best peer. */
export function printEventTable(results: Map<string, EventResult>): void {
  const ceiling = results.get(CEILING);
  const peer = bestPeer(results, (r) => r.rate);
  console.log(`\nEvents (publish → handler, all handled; ${BENCH.rounds} interleaved batches per system)\n`);
  const rows = [...results].map(([name, r]) => [name, r.rate.toFixed(0), percentOf(r.rate, ceiling?.rate), percentOf(r.rate, peer), micros(r.cpuUsPerEvent)]);
  print(['system', 'events/s', 'vs ceiling', 'vs best peer', 'server CPU µs/event'], rows);
}

/** Each server's resident memory after warm-up and after the whole comparison (target: under 10% growth). */
export function printMemoryTable(results: Map<string, MemoryResult>): void {
  console.log('\nServer memory (RSS once every workload ran once, and after the whole comparison; target: growth under 10%)\n');
  const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
  const rows = [...results].map(([name, m]) => [name, mib(m.warmRssBytes), mib(m.endRssBytes), `${((m.endRssBytes / m.warmRssBytes - 1) * 100).toFixed(1)}%`]);
  print(['system', 'warm MiB', 'end MiB', 'growth'], rows);
}

/**
 * What the debug logger costs, per workload, over all its window pairs: the throughput lost
 * and the server CPU time added per message, on against off. Target: under 5%.
 */
export function printDebugLoggerCost(pairs: CostPair[]): void {
  if (pairs.length === 0) return;
  const workloads = [...new Set(pairs.map((p) => p.workload))];
  console.log(`\nDebug logger cost (on vs off, ${pairs.length / workloads.length} alternating window pairs each, sampled above timingsPerSecond unless "every entry"; targets: < 5% throughput, < 10% CPU)\n`);
  const percent = (value: number) => `${(value * 100).toFixed(1)}%`;
  const rows = workloads.map((workload) => {
    const mine = pairs.filter((p) => p.workload === workload);
    const off = total(mine.map((p) => p.off));
    const on = total(mine.map((p) => p.on));
    return [workload, off.rate.toFixed(0), on.rate.toFixed(0), percent(1 - on.rate / off.rate), micros(off.cpuUs), micros(on.cpuUs), percent(on.cpuUs / off.cpuUs - 1)];
  });
  print(['workload', 'off /s', 'on /s', 'throughput cost', 'off CPU µs', 'on CPU µs', 'CPU cost'], rows);
}

/** Handled per second and CPU µs per message over several windows. */
function total(windows: WindowResult[]): { rate: number; cpuUs: number } {
  const sum = (pick: (w: WindowResult) => number) => windows.reduce((acc, w) => acc + pick(w), 0);
  const handled = sum((w) => w.handled);
  return { rate: (handled / sum((w) => w.elapsedMs)) * 1000, cpuUs: sum((w) => w.cpuUs) / handled };
}

/** SecureRepository against plain TypeORM (target: within 10%), batched inserts against one by one (target: at least 5×). */
export function printRepositoryTable(results: RepositoryResult[]): void {
  console.log('\nSecure repository (PostgreSQL; targets: within 10% of TypeORM, batched inserts at least 5x)\n');
  const rows = results.map((r) => [r.workload, r.baseline, r.baselineOps.toFixed(0), r.measured, r.measuredOps.toFixed(0), `${((r.measuredOps / r.baselineOps) * 100).toFixed(0)}%`]);
  print(['workload', 'baseline', 'ops/s', 'measured', 'ops/s', 'vs baseline'], rows);
}
