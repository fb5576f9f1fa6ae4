import { InvalidOptionsError } from '@cliffracer/common';
import { ExponentialBackoff } from 'cockatiel';
import type { CallRetryOptions, CircuitBreakerOptions } from '../interfaces/resilience-options.interface.js';

/** Retries of a call that opts in without options of its own or its client's. */
export const DEFAULT_CALL_RETRY = Object.freeze({ attempts: 3, initialDelayMs: 100, maxDelayMs: 2000 });

/** The circuit breakers of a client given `circuitBreaker: {}`. */
export const DEFAULT_CIRCUIT_BREAKER: Readonly<Required<CircuitBreakerOptions>> = Object.freeze({ failureThreshold: 5, halfOpenAfterMs: 10_000 });

/**
 * More attempts only multiply the load on a service that is failing: a caller that needs more
 * should wait longer between them, not try more often.
 */
export const MAX_CALL_ATTEMPTS = 10;

/** A retry policy checked, with its backoff built once. */
export interface NormalizedCallRetry extends Required<Omit<CallRetryOptions, 'attemptTimeoutMs'>> {
  attemptTimeoutMs?: number;
  /** Exponential, with decorrelated jitter (cockatiel's default generator). */
  backoff: ExponentialBackoff<unknown>;
}

const RETRY_KEYS = ['attempts', 'initialDelayMs', 'maxDelayMs', 'attemptTimeoutMs'];
const BREAKER_KEYS = Object.keys(DEFAULT_CIRCUIT_BREAKER);

/** Merges `options` over `base`, checking each value; throws `InvalidOptionsError` naming the bad one. */
export function normalizeCallRetry(owner: string, options: CallRetryOptions, base: Omit<NormalizedCallRetry, 'backoff'> = DEFAULT_CALL_RETRY): NormalizedCallRetry {
  checkKeys(owner, 'retry', options, RETRY_KEYS);
  const { backoff: _, ...inherited } = base as NormalizedCallRetry;
  const retry = { ...inherited, ...withoutUndefined(options) };
  if (!Number.isInteger(retry.attempts) || retry.attempts < 1 || retry.attempts > MAX_CALL_ATTEMPTS) {
    throw new InvalidOptionsError(owner, `retry.attempts must be a whole number from 1 to ${MAX_CALL_ATTEMPTS}, got ${JSON.stringify(retry.attempts)}`);
  }
  for (const key of ['initialDelayMs', 'maxDelayMs', 'attemptTimeoutMs'] as const) {
    const value = retry[key];
    if (value !== undefined && (!Number.isInteger(value) || value <= 0)) {
      throw new InvalidOptionsError(owner, `retry.${key} must be a positive whole number of milliseconds, got ${JSON.stringify(value)}`);
    }
  }
  if (retry.maxDelayMs < retry.initialDelayMs) {
    throw new InvalidOptionsError(owner, `retry.maxDelayMs (${retry.maxDelayMs}) must not be less than retry.initialDelayMs (${retry.initialDelayMs})`);
  }
  return { ...retry, backoff: new ExponentialBackoff({ initialDelay: retry.initialDelayMs, maxDelay: retry.maxDelayMs }) };
}

/** Fills and checks circuit breaker options; throws `InvalidOptionsError` naming the bad one. */
export function normalizeCircuitBreaker(owner: string, options: CircuitBreakerOptions): Required<CircuitBreakerOptions> {
  checkKeys(owner, 'circuitBreaker', options, BREAKER_KEYS);
  const breaker = { ...DEFAULT_CIRCUIT_BREAKER, ...withoutUndefined(options) };
  for (const key of BREAKER_KEYS as (keyof CircuitBreakerOptions)[]) {
    if (!Number.isInteger(breaker[key]) || breaker[key] <= 0) {
      throw new InvalidOptionsError(owner, `circuitBreaker.${key} must be a positive whole number, got ${JSON.stringify(breaker[key])}`);
    }
  }
  return breaker;
}

function checkKeys(owner: string, name: string, options: object, known: string[]): void {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new InvalidOptionsError(owner, `${name} must be an object of options, got ${JSON.stringify(options)}`);
  }
  const unknown = Object.keys(options).find((key) => !known.includes(key));
  if (unknown !== undefined) throw new InvalidOptionsError(owner, `unknown ${name} option ${JSON.stringify(unknown)}: use ${known.join(', ')}`);
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
