import type { Msg } from '@nats-io/transport-node';
import { OverloadedError } from './errors/overloaded.error.js';
import { captureMessageContext } from './message-context.js';
import { isThenable, type MaybePromise } from './maybe-promise.js';
import { RpcTimeoutError } from './errors/rpc-timeout.error.js';
import { overloadChannel, type OverloadReport } from './nats-transport.diagnostics.js';
import { reportOverload } from './overload.report.js';
import type { HandlerConcurrency } from './interfaces/handler-metadata.interface.js';
import { MESSAGES } from './nats-transport.messages.js';
import type { NatsRoute } from './nats-routes.js';
import type { RefusalLog } from './refusal.log.js';
import type { RequestReplies } from './request-replies.js';
import { toWireError, type WireError } from './wire/wire-error.js';
// Node 20 serves the global `performance` through a lazy getter on every read; the import does not.
import { performance } from 'node:perf_hooks';

/** Where a bulkhead's requests go: the answers, and where refusals are logged. */
export interface BulkheadDoor {
  service: string;
  subjectPrefix: string;
  replies: RequestReplies;
  refusals: RefusalLog;
}

interface Waiter {
  route: NatsRoute;
  msg: Msg;
  arrivedAt: number;
  /** How long it may wait: its handler's `timeoutMs`, else the callers' default timeout. */
  maxWaitMs: number;
  timer: NodeJS.Timeout;
  /** Runs a function in the correlation context the request arrived in. */
  inContext: <R>(fn: () => R) => R;
  resolve(answered: MaybePromise<WireError | undefined>): void;
}

/**
 * Bounds the RPC requests one compartment works on at once: the service's shared one
 * (`maxConcurrentRequests`, `maxQueuedRequests`) or a handler's own (`@Rpc({ maxConcurrent,
 * maxQueued })`), so a handler stuck on a slow dependency cannot pile up unbounded work. Past
 * `limit`, a request waits in arrival order, at most `maxQueued` of them, each only until its
 * deadline (its handler's `timeoutMs`, else `requestTimeoutMs`, after which the caller has
 * given up): then it is answered `RPC_TIMEOUT` without running. With the queue full, `full()`
 * tells the server to answer `OVERLOADED` at once.
 *
 * Written for the default path's cost: a request that finds a free slot costs a counter and
 * one `then` with a bound callback, as the counter it replaced did. Cockatiel's bulkhead
 * would add an async function, a promise and a closure per request, and cannot drop a queued
 * task at its deadline.
 */
export class RequestBulkhead {
  private active = 0;
  // A Set keeps arrival order and drops an expired waiter from the middle at once.
  private readonly waiting = new Set<Waiter>();
  private readonly release = (): void => {
    this.active -= 1;
    if (this.waiting.size > 0) this.startNext();
  };

  constructor(
    private readonly door: BulkheadDoor,
    readonly scope: 'service' | 'handler',
    readonly limit: number,
    readonly maxQueued: number,
    private readonly defaultWaitMs: number,
  ) {}

  /** A compartment of one handler's own, beside this one and answering through the same door. */
  forHandler({ maxConcurrent, maxQueued }: HandlerConcurrency): RequestBulkhead {
    return new RequestBulkhead(this.door, 'handler', maxConcurrent, maxQueued, this.defaultWaitMs);
  }

  /** Requests being handled now. */
  get running(): number {
    return this.active;
  }

  /** Requests waiting for a slot. */
  get queued(): number {
    return this.waiting.size;
  }

  /** True when one more request could neither start nor wait. */
  full(): boolean {
    return this.active >= this.limit && this.waiting.size >= this.maxQueued;
  }

  /** The refusal of a request `full()` turned away, reported on `NATS_OVERLOAD_CHANNEL`. */
  overloaded(route: NatsRoute, subject: string): OverloadedError {
    if (overloadChannel.hasSubscribers) this.report(route, subject, 'refused');
    return new OverloadedError(subject, MESSAGES.tooManyRequests(subject, this.limit, this.maxQueued, this.scope));
  }

  /**
   * Answers `msg` now, or once a slot is free; gives the failure it answered with, if any (at
   * once when it was answered at once: a request that finds a slot free while others wait
   * cannot happen, so nothing waits on its release).
   */
  run(route: NatsRoute, msg: Msg): MaybePromise<WireError | undefined> {
    if (this.active < this.limit) {
      this.active += 1;
      const work = this.door.replies.answer(route, msg);
      if (isThenable(work)) work.then(this.release, this.release);
      else this.active -= 1;
      return work;
    }
    return new Promise((resolve) => {
      const maxWaitMs = route.timeoutMs ?? this.defaultWaitMs;
      const waiter = { route, msg, arrivedAt: performance.now(), maxWaitMs, inContext: captureMessageContext(), resolve } as Waiter;
      waiter.timer = setTimeout(() => this.expire(waiter), maxWaitMs);
      this.waiting.add(waiter);
    });
  }

  // Runs in the context of whichever request freed the slot: the waiter's own is put back. A loop:
  // requests answered at once would otherwise nest one call per waiting request.
  private startNext(): void {
    while (this.active < this.limit && this.waiting.size > 0) {
      const waiter = this.waiting.values().next().value!;
      this.waiting.delete(waiter);
      clearTimeout(waiter.timer);
      this.active += 1;
      // A handler's timeout counts from arrival: the wait used part of it.
      const { route, msg } = waiter;
      const left = route.timeoutMs === undefined ? undefined : Math.max(1, Math.round(waiter.maxWaitMs - (performance.now() - waiter.arrivedAt)));
      const work = waiter.inContext(() => this.door.replies.answer(route, msg, left));
      if (isThenable(work)) work.then(this.release, this.release);
      else this.active -= 1;
      waiter.resolve(work);
    }
  }

  private expire(waiter: Waiter): void {
    this.waiting.delete(waiter);
    const { route, msg } = waiter;
    const wire = toWireError(new RpcTimeoutError(msg.subject, waiter.maxWaitMs, 'queue'));
    this.door.refusals.warn(`${wire.code} queue ${route.subject}`, `request expired in the queue on ${msg.subject}: ${wire.message}`);
    if (overloadChannel.hasSubscribers) this.report(route, msg.subject, 'expired');
    this.door.replies.replyError(msg, wire);
    waiter.resolve(wire);
  }

  private report(route: NatsRoute, subject: string, outcome: OverloadReport['outcome']): void {
    const { service, subjectPrefix } = this.door;
    reportOverload({ kind: 'rpc', service, subjectPrefix, subject, route: route.name, scope: this.scope, outcome, running: this.active, queued: this.waiting.size });
  }
}
