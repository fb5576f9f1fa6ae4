import { channel } from 'node:diagnostics_channel';

/**
 * node:diagnostics_channel names the transport publishes on. Reports are built only while
 * something subscribes (the debug logger, metrics), so an unobserved service pays nothing.
 */
export const NATS_HANDLED_CHANNEL = 'cliffracer:nats:handled';
export const NATS_CALL_CHANNEL = 'cliffracer:nats:call';
export const NATS_STATUS_CHANNEL = 'cliffracer:nats:status';
export const NATS_REFUSED_CHANNEL = 'cliffracer:nats:refused';
export const NATS_DEAD_LETTER_CHANNEL = 'cliffracer:nats:dead-letter';
export const NATS_REDELIVERY_CHANNEL = 'cliffracer:nats:redelivery';
export const NATS_OVERLOAD_CHANNEL = 'cliffracer:nats:overload';
export const NATS_CIRCUIT_CHANNEL = 'cliffracer:nats:circuit';
export const NATS_RETRY_CHANNEL = 'cliffracer:nats:retry';

/** What every timed report carries: which work, under which ID, how long, and how it ended. */
export interface TimedReport {
  service: string;
  subject: string;
  correlationId: string;
  durationMs: number;
  /** When it ended, on the process's monotonic clock (`performance.now()`), so a listener need not read it again. */
  finishedAt: number;
  /** The time budget: a handler's `@Rpc` timeout, the caller default, a durable ack wait, or a call's timeout. */
  timeoutMs: number;
  failed: boolean;
  errorName?: string;
  errorCode?: string;
  errorMessage?: string;
}

/** After an RPC or event handler finished (published on `NATS_HANDLED_CHANNEL`). */
export interface HandledReport extends TimedReport {
  kind: 'rpc' | 'event';
  /**
   * The handler's subject pattern, without the prefix (`audit.>`; for an RPC, its subject).
   * Key per-handler figures by it: under a wildcard, `subject` is whatever a publisher chose.
   */
  route: string;
}

/** After a client call got its reply or failed (published on `NATS_CALL_CHANNEL`). */
export type CallReport = TimedReport;

/** A connection of a service changed state (published on `NATS_STATUS_CHANNEL`). */
export interface StatusReport {
  service: string;
  role: 'server' | 'client';
  status: string;
  server?: string;
}

/**
 * A message turned away before any handler saw it: headers that cannot be read, or no room
 * (`OVERLOADED`). Published on `NATS_REFUSED_CHANNEL`. Input refused by the handler's own
 * decoding or validation shows in its `HandledReport` (`errorCode`, see `REFUSAL_CODES`).
 */
export interface RefusedReport {
  service: string;
  kind: 'rpc' | 'event';
  /** The handler's subject pattern, without the prefix. */
  route: string;
  code: string;
}

/** An event stored on the dead-letter subject (published on `NATS_DEAD_LETTER_CHANNEL`). */
export interface DeadLetterReport {
  service: string;
  /** The handler's subject pattern, without the prefix. */
  route: string;
  durable: boolean;
  /** Why: the code of the handler's failure or of the refusal. */
  code: string;
}

/** A failed durable event handed back to JetStream for another delivery (on `NATS_REDELIVERY_CHANNEL`). */
export interface RedeliveryReport {
  service: string;
  /** The handler's subject pattern, without the prefix. */
  route: string;
  code: string;
  /** The delivery that failed, from 1. */
  delivery: number;
  delayMs: number;
}

/**
 * A request or event a bulkhead turned away (published on `NATS_OVERLOAD_CHANNEL`): count these
 * to see a service shedding load, by `scope` and `route`.
 */
export interface OverloadReport {
  kind: 'rpc' | 'event';
  service: string;
  /** The message's subject, without the prefix. */
  subject: string;
  /** The handler's subject pattern, without the prefix. */
  route: string;
  /**
   * Which bound: the service's (`maxConcurrentRequests`, `maxQueuedRequests`; for events,
   * `maxConcurrentEvents` and its queue) or the handler's own (`@Rpc({ maxConcurrent, maxQueued })`).
   */
  scope: 'service' | 'handler';
  /**
   * `refused`: every slot busy and the queue full, answered `OVERLOADED` at once; `expired`:
   * it waited in the queue past its deadline and was answered `RPC_TIMEOUT` without running.
   */
  outcome: 'refused' | 'expired';
  /** Messages being handled, and waiting, in that bulkhead when it happened. */
  running: number;
  queued: number;
}

/** The state of a client's circuit to one service. */
export type CircuitStateName = 'closed' | 'open' | 'half-open';

/**
 * A client's circuit to a service changed state (published on `NATS_CIRCUIT_CHANNEL`): keep
 * the latest per `target` for a gauge, count `open` ones for a rate of outages.
 */
export interface CircuitReport {
  /** The calling service (the client's own). */
  service: string;
  /** The service the circuit guards calls to. */
  target: string;
  state: CircuitStateName;
  previous: CircuitStateName;
  /** On opening: the name of the failure that opened it. */
  errorName?: string;
}

/** A client call is about to be tried again (published on `NATS_RETRY_CHANNEL`), before its wait. */
export interface RetryReport {
  /** The calling service (the client's own). */
  service: string;
  target: string;
  /** The call's subject, without the prefix. */
  subject: string;
  /** The attempt about to be made: 2 for the first retry. */
  attempt: number;
  /** The wait before it, in milliseconds. */
  delayMs: number;
  /** What failed the attempt before it. */
  errorName: string;
}

export const handledChannel = channel(NATS_HANDLED_CHANNEL);
export const callChannel = channel(NATS_CALL_CHANNEL);
export const statusChannel = channel(NATS_STATUS_CHANNEL);
export const refusedChannel = channel(NATS_REFUSED_CHANNEL);
export const deadLetterChannel = channel(NATS_DEAD_LETTER_CHANNEL);
export const redeliveryChannel = channel(NATS_REDELIVERY_CHANNEL);
export const overloadChannel = channel(NATS_OVERLOAD_CHANNEL);
export const circuitChannel = channel(NATS_CIRCUIT_CHANNEL);
export const retryChannel = channel(NATS_RETRY_CHANNEL);
