import type { LogEntry } from './log-entry.js';

/** The entry a category writes for each second sampling left entries out of (`timingsPerSecond`). */
const SAMPLED = 'timings.sampled';

/** Counts and durations of one operation of one category, from one kind of entry. */
export interface SummaryRow {
  category: string;
  operation: string;
  /** The entries' `msg`: the caller's side of a call (`rpc.call`) apart from the handler's (`rpc.handled`). */
  entry: string;
  count: number;
  failures: number;
  p50Ms?: number;
  p99Ms?: number;
}

/**
 * Groups entries by category, message and operation (the message stands for the operation when
 * there is none), so a call's two sides, timed in different processes, stay two rows.
 */
export function summarize(entries: Iterable<LogEntry>): SummaryRow[] {
  const groups = new Map<string, { row: SummaryRow; durations: number[] }>();
  for (const entry of entries) {
    const operation = entry.operation ?? entry.msg;
    const key = `${entry.category}\u0000${entry.msg}\u0000${operation}`;
    let group = groups.get(key);
    if (!group) {
      group = { row: { category: entry.category, operation, entry: entry.msg, count: 0, failures: 0 }, durations: [] };
      groups.set(key, group);
    }
    // A sampling summary counts the entries it stands for: the row says how many were left out.
    group.row.count += entry.msg === SAMPLED && typeof entry.skipped === 'number' ? entry.skipped : 1;
    if (entry.success === false || entry.level === 'error') group.row.failures += 1;
    if (typeof entry.duration_ms === 'number') group.durations.push(entry.duration_ms);
  }
  return [...groups.values()]
    .map(({ row, durations }) => ({ ...row, ...durationPercentiles(durations) }))
    .sort((a, b) => a.category.localeCompare(b.category) || b.count - a.count || a.operation.localeCompare(b.operation) || a.entry.localeCompare(b.entry));
}

/** Nearest-rank percentiles. */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** p50 and p99 of unsorted durations; none for an empty list. */
export function durationPercentiles(durations: number[]): Pick<SummaryRow, 'p50Ms' | 'p99Ms'> {
  if (durations.length === 0) return {};
  const sorted = [...durations].sort((a, b) => a - b);
  return { p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99) };
}

/** The rows as an aligned text table. */
export function renderSummary(rows: SummaryRow[]): string {
  const header = ['category', 'operation', 'entry', 'count', 'failures', 'p50 ms', 'p99 ms'];
  const cells = rows.map((r) => [r.category, r.operation, r.entry, String(r.count), String(r.failures), fmt(r.p50Ms), fmt(r.p99Ms)]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => c.map((v, i) => (i < 3 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

function fmt(ms: number | undefined): string {
  return ms === undefined ? '-' : ms.toFixed(2);
}
