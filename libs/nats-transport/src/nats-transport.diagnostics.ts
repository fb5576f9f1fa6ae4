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

/** What every timed report carries: which work, under which ID, how long, and how it ended. */
export interface TimedReport {
  service: string;
  subject: string;
  correlationId: string;
  durationMs: number;
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

export const handledChannel = channel(NATS_HANDLED_CHANNEL);
export const callChannel = channel(NATS_CALL_CHANNEL);
export const statusChannel = channel(NATS_STATUS_CHANNEL);
export const refusedChannel = channel(NATS_REFUSED_CHANNEL);
export const deadLetterChannel = channel(NATS_DEAD_LETTER_CHANNEL);
export const redeliveryChannel = channel(NATS_REDELIVERY_CHANNEL);
