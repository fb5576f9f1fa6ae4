/**
 * What the `/metrics` listener of a service without an HTTP door accepts. A scraper sends one
 * small GET every few seconds; anything beyond these is turned away by node:http itself
 * (431 for large headers, 408 for slow ones, a closed socket past the connection cap).
 */
export const METRICS_ENDPOINT_LIMITS = {
  /** Largest request head (request line and headers), in bytes. */
  maxHeaderBytes: 8 * 1024,
  /** Time to receive a request's headers, in milliseconds. */
  headersTimeoutMs: 5_000,
  /** Time to receive a whole request, in milliseconds. */
  requestTimeoutMs: 10_000,
  /** How long an idle kept-alive connection stays open, in milliseconds. */
  keepAliveTimeoutMs: 5_000,
  /** How long a connection may stay silent (one that never sends a request, say), in milliseconds. */
  idleTimeoutMs: 5_000,
  /** Connections open at once; more are closed as they arrive. */
  maxConnections: 32,
  /** How often node:http looks for requests past their timeouts, in milliseconds. */
  timeoutCheckIntervalMs: 1_000,
} as const;
