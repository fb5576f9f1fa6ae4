import type { LoadResult } from './load.js';
import { CLIFFRACER, CLIFFRACER_DEBUG } from './systems.js';

const BASELINE = 'raw nats.js';

function row(cells: string[], widths: number[]): string {
  return cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
}

function print(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  console.log(row(header, widths));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(row(r, widths));
}

/** Request/reply: req/s, p50, p99 and the share of raw NATS throughput, per concurrency. */
export function printRpcTable(results: Map<string, LoadResult[]>, concurrencies: readonly number[]): void {
  const baseline = results.get(BASELINE);
  console.log('\nRequest/reply (client and server in separate processes)\n');
  const rows: string[][] = [];
  for (const [name, runs] of results) {
    runs.forEach((r, i) => {
      const ratio = baseline ? `${((r.rps / baseline[i]!.rps) * 100).toFixed(0)}%` : '-';
      rows.push([name, String(concurrencies[i]), r.rps.toFixed(0), r.p50Ms.toFixed(3), r.p99Ms.toFixed(3), ratio, String(r.errors)]);
    });
  }
  print(['system', 'in flight', 'req/s', 'p50 ms', 'p99 ms', 'vs raw', 'errors'], rows);
}

/** Events: publish → handler throughput and the share of raw NATS. */
export function printEventTable(results: Map<string, number>): void {
  const baseline = results.get(BASELINE);
  console.log('\nEvents (publish → handler, all handled)\n');
  const rows = [...results].map(([name, rate]) => [name, rate.toFixed(0), baseline ? `${((rate / baseline) * 100).toFixed(0)}%` : '-']);
  print(['system', 'events/s', 'vs raw'], rows);
}

/** What the debug logger costs: Cliffracer throughput with it on against off (target under 5%). */
export function printDebugLoggerCost(rpc: Map<string, LoadResult[]>, events: Map<string, number>, concurrencies: readonly number[]): void {
  const off = rpc.get(CLIFFRACER);
  const on = rpc.get(CLIFFRACER_DEBUG);
  if (!off || !on) return;
  console.log('\nDebug logger cost (handler throughput, on vs off; target < 5%)\n');
  const cost = (offRate: number, onRate: number) => `${(((offRate - onRate) / offRate) * 100).toFixed(1)}%`;
  const rows = concurrencies.map((c, i) => [`rpc, ${c} in flight`, off[i]!.rps.toFixed(0), on[i]!.rps.toFixed(0), cost(off[i]!.rps, on[i]!.rps)]);
  const eventsOff = events.get(CLIFFRACER);
  const eventsOn = events.get(CLIFFRACER_DEBUG);
  if (eventsOff && eventsOn) rows.push(['events', eventsOff.toFixed(0), eventsOn.toFixed(0), cost(eventsOff, eventsOn)]);
  print(['workload', 'off /s', 'on /s', 'cost'], rows);
}
