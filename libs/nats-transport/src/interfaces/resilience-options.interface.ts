/**
 * How a call is retried. Only for idempotent calls: a retried call may run its handler twice
 * (a reply lost with the connection, a timeout after the handler ran).
 */
export interface CallRetryOptions {
  /**
   * Attempts in all, the first included.
   * @default 3
   */
  attempts?: number;
  /**
   * Wait before the first retry, in milliseconds; later waits grow exponentially, with
   * decorrelated jitter so callers that failed together do not retry together.
   * @default 100
   */
  initialDelayMs?: number;
  /**
   * Longest wait between two attempts, in milliseconds.
   * @default 2000
   */
  maxDelayMs?: number;
  /**
   * Longest wait for one attempt's reply, in milliseconds. Each attempt waits for what is left
   * of the call's `timeoutMs` at most, so without this an attempt that times out has used the
   * whole deadline and is not retried.
   * @default the rest of the call's timeout
   */
  attemptTimeoutMs?: number;
}

/**
 * One circuit breaker per target service: after `failureThreshold` failures in a row of calls
 * to it (no responders, no reply in time, `OVERLOADED`), calls to it fail at once with
 * `CircuitOpenError`, unsent; after `halfOpenAfterMs` one call goes through as a probe, and
 * its success closes the circuit again.
 */
export interface CircuitBreakerOptions {
  /**
   * Failures in a row that open the circuit to a service.
   * @default 5
   */
  failureThreshold?: number;
  /**
   * How long the circuit stays open before one probe call is let through, in milliseconds.
   * @default 10000
   */
  halfOpenAfterMs?: number;
}
