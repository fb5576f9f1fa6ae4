/**
 * Counts failed logins over a sliding window, for all clients together: every backdoor
 * client comes from 127.0.0.1, so only a global limit slows down guessing.
 */
export class AuthFailureLimiter {
  private failures: number[] = [];

  constructor(
    private readonly maxFailures: number,
    private readonly windowMs: number,
  ) {}

  /** Milliseconds until a login may be tried again; 0 when it may now. */
  retryAfterMs(now = Date.now()): number {
    this.failures = this.failures.filter((at) => at > now - this.windowMs);
    if (this.failures.length < this.maxFailures) return 0;
    return this.failures[0] + this.windowMs - now;
  }

  recordFailure(now = Date.now()): void {
    this.failures.push(now);
  }
}
