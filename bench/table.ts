import type { LoadResult } from './load.js';

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
