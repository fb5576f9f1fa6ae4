import { DebugCategory, StressSeverity } from './debug-logger.constants.js';
import type { DebugLogger } from './debug.logger.js';
import { round } from './round.js';

/** What kind of work a sample is: a handled RPC or event, or a client call. */
export type WorkKind = 'rpc' | 'event' | 'call';

/** One finished unit of work, as the detector sees it (a transport report fits as is). */
export interface WorkSample {
  /** The subject, without the service's prefix. */
  subject: string;
  correlationId: string;
  durationMs: number;
  timeoutMs: number;
  failed: boolean;
}

/**
 * Finds stress situations and writes them to `stress`: work slower than `slowRatio` of its
 * timeout (critical once past the timeout), a timer overrunning its interval, a burst of
 * failures within a window (reported once per window), a lost NATS connection.
 */
export class StressDetector {
  private failures: number[] = [];
  private lastBurstAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly debug: DebugLogger) {}

  /** True for work slower than `slowRatio` of its timeout: a stress entry, and a timing always written. */
  isSlow(sample: Pick<WorkSample, 'durationMs' | 'timeoutMs'>): boolean {
    return sample.durationMs > sample.timeoutMs * this.debug.options.slowRatio;
  }

  /** `slow`: `isSlow(sample)`, when the caller has already asked. */
  work(kind: WorkKind, sample: WorkSample, slow = this.isSlow(sample)): void {
    if (slow) {
      const severity = sample.durationMs >= sample.timeoutMs ? StressSeverity.CRITICAL : StressSeverity.WARNING;
      this.debug.stress(kind === 'call' ? 'slow_call' : 'slow_handler', severity, {
        correlationId: sample.correlationId,
        kind,
        operation: sample.subject,
        duration_ms: round(sample.durationMs),
        timeout_ms: sample.timeoutMs,
        ratio: round(sample.durationMs / sample.timeoutMs),
      });
    }
    if (sample.failed) this.failure(sample.subject);
  }

  timerOverran(name: string, correlationId: string, durationMs: number, intervalMs: number): void {
    this.debug.stress('timer_overrun', StressSeverity.WARNING, {
      correlationId,
      operation: name,
      duration_ms: round(durationMs),
      interval_ms: intervalMs,
    });
  }

  connection(status: string, role: string, server?: string): void {
    if (status === 'disconnected') {
      this.debug.stress('nats_disconnected', StressSeverity.CRITICAL, { role, server });
    } else if (status === 'connected') {
      this.debug.log(DebugCategory.STRESS, 'nats_reconnected', { role, server, severity: 'info' });
    }
  }

  private failure(operation: string): void {
    const now = Date.now();
    const { errorBurstCount, errorBurstWindowMs } = this.debug.options;
    this.failures.push(now);
    while (this.failures.length > 0 && this.failures[0] <= now - errorBurstWindowMs) this.failures.shift();
    if (this.failures.length >= errorBurstCount && now - this.lastBurstAt >= errorBurstWindowMs) {
      this.lastBurstAt = now;
      this.debug.stress('error_burst', StressSeverity.CRITICAL, {
        failures: this.failures.length,
        window_ms: errorBurstWindowMs,
        last_operation: operation,
      });
    }
  }
}
