import { CliffracerError } from '@cliffracer/common';
import type { LogEntry } from './log-entry.js';

/** What to keep. */
export interface LogFilter {
  correlationId?: string;
  /** Keep entries at or after this moment (epoch ms). */
  since?: number;
}

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `--since`: a duration back from `now` (`90s`, `5m`, `2h`, `1d`) or an ISO date. */
export function parseSince(value: string, now = Date.now()): number {
  const match = /^(\d+)([smhd])$/.exec(value.trim());
  if (match) return now - Number(match[1]) * UNITS[match[2]];
  const at = Date.parse(value);
  if (Number.isNaN(at)) {
    throw new CliffracerError(`--since takes a duration like 5m or 2h, or an ISO date, got ${JSON.stringify(value)}`, { code: 'BAD_ARGUMENT' });
  }
  return at;
}

export function matches(entry: LogEntry, filter: LogFilter): boolean {
  if (filter.correlationId !== undefined && entry.correlation_id !== filter.correlationId) return false;
  if (filter.since !== undefined && Date.parse(entry.timestamp) < filter.since) return false;
  return true;
}
