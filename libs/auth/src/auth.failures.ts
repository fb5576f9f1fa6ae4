import type { DebugLogger } from '@cliffracer/debug-logger';
import { RefusalLog } from '@cliffracer/nats-transport';
import { Logger } from '@nestjs/common';

/** Told of each refusal: the reason (a short fixed phrase, never the token) and the transport. */
export type AuthFailureListener = (reason: string, transport: string) => void;

/**
 * Counts refused requests per reason and logs them (never the token): a warning once per
 * interval, transport and reason, then how many more were refused meanwhile, so a flood of bad
 * tokens cannot flood the log; with the debug logger on, an entry in `auth` for each. Listeners
 * (`onRecord`) see each one: the service's metrics count them as `cliffracer_auth_failures_total`
 * (`@cliffracer/metrics` finds this class under `AUTH_FAILURES_FEED`).
 */
export class AuthFailures {
  private readonly logger = new Logger('Auth');
  private readonly refusals = new RefusalLog(this.logger);
  private readonly counts = new Map<string, number>();
  private readonly listeners = new Set<AuthFailureListener>();

  constructor(private readonly debug?: DebugLogger) {}

  record(reason: string, transport: string, operation: string): void {
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + 1);
    this.refusals.warn(`${transport} ${reason}`, `refused ${transport} ${operation}: ${reason}`);
    this.debug?.log('auth', 'auth.refused', { reason, transport, operation }, 'warn');
    for (const listener of this.listeners) listener(reason, transport);
  }

  /** Calls `listener` on each refusal from now on; returns what stops it. */
  onRecord(listener: AuthFailureListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Refusals so far, per reason. */
  snapshot(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  total(): number {
    let sum = 0;
    for (const count of this.counts.values()) sum += count;
    return sum;
  }
}
