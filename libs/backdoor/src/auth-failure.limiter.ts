/**
 * Counts failed logins over a sliding window, for all clients together: every backdoor
 * client comes from 127.0.0.1, so only a global limit slows down guessing. Reaching the
 * limit locks logins for a fixed time; after it, counting starts again from zero.
 */
export class AuthFailureLimiter {
  // At most `maxFailures` entries: reaching the limit empties it.
  private failures: number[] = [];
  private lockedUntil = 0;

  constructor(
    private readonly maxFailures: number,
    private readonly windowMs: number,
    private readonly lockoutMs: number,
  ) {}

  /** Milliseconds until a login may be tried again; 0 when it may now. */
  retryAfterMs(now = Date.now()): number {
    return Math.max(0, this.lockedUntil - now);
  }

  recordFailure(now = Date.now()): void {
    this.failures = this.failures.filter((at) => at > now - this.windowMs);
    this.failures.push(now);
    if (this.failures.length < this.maxFailures) return;
    this.lockedUntil = now + this.lockoutMs;
    this.failures = [];
  }
}
