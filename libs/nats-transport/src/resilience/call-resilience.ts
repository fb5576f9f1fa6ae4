import { CorrelationContext } from '@cliffracer/correlation';
import type { LoggerService } from '@nestjs/common';
import type { CallRetryOptions } from '../interfaces/resilience-options.interface.js';
import type { NormalizedNatsTransportOptions } from '../interfaces/nats-transport-options.interface.js';
import type { CircuitStateName } from '../nats-transport.diagnostics.js';
import { CircuitBreakers } from './circuit-breakers.js';
import { retryWithinDeadline } from './deadline-retry.js';
import { DEFAULT_CALL_RETRY, type NormalizedCallRetry, normalizeCallRetry } from './resilience.options.js';

const CALL_OPTIONS = 'NatsClient';

/**
 * The policies around a client's calls: its circuit breakers, when `circuitBreaker` is set,
 * and the retry policy of each call that opts in (`retry` on the call, or on the client). A
 * call under neither goes straight to NATS, at no cost.
 */
export class CallResilience {
  private readonly breakers?: CircuitBreakers;
  private readonly defaultRetry: NormalizedCallRetry;

  constructor(
    private readonly options: NormalizedNatsTransportOptions,
    logger: LoggerService,
  ) {
    if (options.circuitBreaker !== undefined) this.breakers = new CircuitBreakers(options.circuitBreaker, options.service, logger);
    this.defaultRetry = options.retry ?? normalizeCallRetry(CALL_OPTIONS, {});
  }

  /** True when calls go through circuit breakers. */
  get breaking(): boolean {
    return this.breakers !== undefined;
  }

  /**
   * The retry policy of a call given `retry`: none for `false`, the client's (or the defaults)
   * for `true`, those overridden for an object, the client's when left out. Throws
   * `InvalidOptionsError` for a bad one.
   */
  retryOf(retry: boolean | CallRetryOptions | undefined): NormalizedCallRetry | undefined {
    if (retry === undefined) return this.options.retry;
    if (retry === false) return undefined;
    if (retry === true) return this.defaultRetry;
    return normalizeCallRetry(CALL_OPTIONS, retry, this.options.retry ?? DEFAULT_CALL_RETRY);
  }

  /** Sends a call to `service` through its circuit, retried under `retry` within `timeoutMs`. */
  call<T>(service: string, subject: string, timeoutMs: number, retry: NormalizedCallRetry | undefined, send: (timeoutMs: number) => Promise<T>): Promise<T> {
    const breakers = this.breakers;
    const attempt = breakers === undefined ? send : (ms: number) => breakers.run(service, subject, () => send(ms));
    if (retry === undefined) return attempt(timeoutMs);
    const run = () => retryWithinDeadline(retry, timeoutMs, { service, caller: this.options.service, subject: subject.slice(this.options.subjectPrefix.length) }, attempt);
    // Every attempt carries one correlation ID: a call at the edge opens its context here.
    return CorrelationContext.currentId() === undefined ? CorrelationContext.run(CorrelationContext.currentOrNewId(), run) : run();
  }

  /** The circuit to each service called so far; empty without breakers. */
  circuitStates(): Record<string, CircuitStateName> {
    return this.breakers?.states() ?? {};
  }
}
