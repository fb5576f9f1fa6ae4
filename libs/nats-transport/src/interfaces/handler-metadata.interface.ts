import type { EVENT_HANDLER_KIND, RPC_HANDLER_KIND } from '../nats-transport.constants.js';
import type { PayloadLimits } from '../nats-transport.limits.js';

/** Options of `@Rpc`. */
export interface RpcOptions {
  /**
   * Longest the handler may run; past it the caller gets an `RpcTimeoutError`.
   * @default no limit on the handler (the caller's own timeout still applies)
   */
  timeoutMs?: number;
  /**
   * Bounds on this handler's request body, over the service's `payloadLimits`.
   * @default the service's payload limits
   */
  limits?: Partial<PayloadLimits>;
  /**
   * Requests this handler works on at once, in a compartment of its own: they do not count
   * toward the service's `maxConcurrentRequests`, so a handler stuck on a slow dependency
   * fills its own slots only. One more waits in its queue (`maxQueued`) or is answered at once
   * with `OVERLOADED` (503).
   * @default none (the handler shares the service's `maxConcurrentRequests`)
   */
  maxConcurrent?: number;
  /**
   * Requests that may wait for one of this handler's slots, in arrival order, each until its
   * deadline (`timeoutMs`, else `requestTimeoutMs`), after which it is answered `RPC_TIMEOUT`
   * without running. Needs `maxConcurrent`.
   * @default 0 (refused at once)
   */
  maxQueued?: number;
}

/** Options of `@Event`. */
export interface EventOptions {
  /**
   * Bounds on this handler's event body, over the service's `payloadLimits`.
   * @default the service's payload limits
   */
  limits?: Partial<PayloadLimits>;
  /**
   * Deliver every event to every instance of the service, instead of to one instance.
   * @default false
   */
  broadcast?: boolean;
  /**
   * Consume through a JetStream durable consumer of this name (per service): events are
   * stored while the service is down, acknowledged only after the handler succeeds, and
   * redelivered with backoff when it throws. Without it the event rides core NATS.
   * @default undefined (core NATS)
   */
  durable?: string;
  /**
   * Deliveries of one durable event before it goes to the dead-letter subject.
   * @default 5
   */
  maxDeliver?: number;
  /**
   * Wait before each redelivery of a failed durable event, in milliseconds; the last value
   * repeats for later attempts.
   * @default [1000, 5000, 30000]
   */
  backoffMs?: number[];
  /**
   * How long JetStream waits for an acknowledgement before redelivering (a crashed
   * instance); a running handler keeps extending it.
   * @default 30000
   */
  ackWaitMs?: number;
}

/** How a durable event handler consumes (normalized `@Event` options). */
export interface DurableSpec {
  name: string;
  maxDeliver: number;
  backoffMs: number[];
  ackWaitMs: number;
}

/** What `@Rpc` records on a handler (Nest `extras`). */
export interface RpcMetadata {
  kind: typeof RPC_HANDLER_KIND;
  timeoutMs?: number;
  limits?: Partial<PayloadLimits>;
  /** The handler's own bulkhead, when it has one. */
  concurrency?: HandlerConcurrency;
}

/** A handler's own bulkhead (normalized `@Rpc({ maxConcurrent, maxQueued })`). */
export interface HandlerConcurrency {
  maxConcurrent: number;
  maxQueued: number;
}

/** What `@Event` records on a handler (Nest `extras`). */
export interface EventMetadata {
  kind: typeof EVENT_HANDLER_KIND;
  broadcast: boolean;
  durable?: DurableSpec;
  limits?: Partial<PayloadLimits>;
}
