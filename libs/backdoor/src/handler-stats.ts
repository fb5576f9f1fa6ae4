import { durationPercentiles } from '@cliffracer/debug-logger';
import { type HandledReport, NATS_HANDLED_CHANNEL } from '@cliffracer/nats-transport';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';

const KEPT_DURATIONS = 1000;

/** Counts, failures and recent durations of one handler (its subject pattern). */
interface SubjectStats {
  kind: string;
  count: number;
  errors: number;
  durations: number[];
}

/** One row of `show_metrics()`. */
export interface HandlerMetricsRow {
  subject: string;
  kind: string;
  count: number;
  errors: number;
  p50Ms?: number;
  p99Ms?: number;
}

/**
 * Per-handler figures of one service, from the transport's handled reports: counts and
 * errors since start, p50/p99 over the last 1000 runs of each subject.
 */
export class HandlerStats {
  private readonly stats = new Map<string, SubjectStats>();
  private readonly listener = (message: unknown) => this.record(message as HandledReport);

  constructor(private readonly service: string) {}

  start(): void {
    subscribe(NATS_HANDLED_CHANNEL, this.listener);
  }

  stop(): void {
    unsubscribe(NATS_HANDLED_CHANNEL, this.listener);
  }

  rows(): HandlerMetricsRow[] {
    return [...this.stats].map(([subject, s]) => ({ subject, kind: s.kind, count: s.count, errors: s.errors, ...durationPercentiles(s.durations) }));
  }

  private record(report: HandledReport): void {
    if (report.service !== this.service) return;
    // Keyed by the handler's pattern, so subjects chosen under a wildcard add no rows.
    let s = this.stats.get(report.route);
    if (!s) {
      s = { kind: report.kind, count: 0, errors: 0, durations: [] };
      this.stats.set(report.route, s);
    }
    s.count += 1;
    if (report.failed) s.errors += 1;
    s.durations.push(report.durationMs);
    if (s.durations.length > KEPT_DURATIONS) s.durations.shift();
  }
}
