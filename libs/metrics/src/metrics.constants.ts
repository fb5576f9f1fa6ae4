/**
 * The token `@cliffracer/auth` provides its `AuthFailures` under (its `AUTH_FAILURES_FEED`),
 * named here rather than imported so that a service without auth installs none of it.
 */
export const AUTH_FAILURES_FEED = 'cliffracer:auth:failures';

/** Latency buckets, in seconds: sub-millisecond handlers up to calls near a 10 s timeout. */
export const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The label value of a successful call. */
export const OK_OUTCOME = 'ok';
