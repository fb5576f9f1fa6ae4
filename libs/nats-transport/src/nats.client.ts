import { CORRELATION_ID_HEADER, CorrelationContext, SdkTracer } from '@cliffracer/correlation';
import { Logger } from '@nestjs/common';
import { ClientProxy, type ReadPacket, type WritePacket } from '@nestjs/microservices';
import type { Msg, NatsConnection } from '@nats-io/transport-node';
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { from, type Observable } from 'rxjs';
import { InvalidOptionsError } from '@cliffracer/common';
import { DurablePublisher } from './durable/durable-publisher.js';
import { ReplyInbox } from './reply-inbox.js';
import { CallResilience } from './resilience/call-resilience.js';
import type { NormalizedCallRetry } from './resilience/resilience.options.js';
import { MalformedPayloadError } from './errors/malformed-payload.error.js';
import { NoRespondersError } from './errors/no-responders.error.js';
import { RpcTimeoutError } from './errors/rpc-timeout.error.js';
import { TransportError } from './errors/transport.error.js';
import type {
  NatsTransportModuleOptions,
  NormalizedNatsTransportOptions,
} from './interfaces/nats-transport-options.interface.js';
import { closeConnection, connectNats, NatsStatus, watchConnection } from './nats-connection.js';
import { ERROR_STATUS_HEADER } from './nats-transport.constants.js';
import type { CallRetryOptions } from './interfaces/resilience-options.interface.js';
import { callChannel, type CallReport, type CircuitStateName } from './nats-transport.diagnostics.js';
import { MESSAGES } from './nats-transport.messages.js';
import { normalizeNatsTransportOptions } from './nats-transport.options.js';
import { NATS_TRACER_NAME } from './tracing/messaging-attributes.js';
import { injectTraceContext, traceSending } from './tracing/sending.trace.js';
import { ErrorRebuilder } from './wire/error-rebuilder.js';
import { decodePayload, encodePayload } from './wire/json.codec.js';
import { isMaxPayloadError, payloadTooLarge } from './wire/max-payload.js';
import { type CallerHeaderList, checkCallerHeaders } from './wire/caller-headers.js';
import { OutgoingHeaders } from './wire/outgoing-headers.js';
import { CheckedSubjects } from './checked-subjects.js';
import { internalWireError, isWireError } from './wire/wire-error.js';
// Node 20 serves the global `performance` through a lazy getter on every read; the import does not.
import { performance } from 'node:perf_hooks';

/** Options of one call. */
export interface CallOptions {
  /** How long to wait for the reply, in milliseconds. @default the module's `requestTimeoutMs` */
  timeoutMs?: number;
  /**
   * Headers for the handler to read with `@CallerHeader(name)` (a tenant, an idempotency key).
   * Checked here before anything is sent: reserved names (`X-Correlation-ID`, `Authorization`,
   * `traceparent`, `tracestate`, `Nats-*`, `Cliffracer-*`, in any casing), names that are not
   * tokens, values with line breaks or control characters, more than 32 headers or 8 KiB
   * (`CALLER_HEADER_LIMITS`) fail with `InvalidOptionsError`. Calls a handler makes do not
   * carry its caller's headers on: pass them again. @default none
   */
  headers?: Record<string, string>;
  /**
   * Retry this call when the exchange fails on this side (no responders, no reply in time, a
   * connection failure), within its `timeoutMs`; never when the handler answered with an error.
   * Only for idempotent calls. `true` takes the client's `retry` policy (else 3 attempts from
   * 100 ms), an object overrides fields of it, `false` turns off the client's. Bad options fail
   * with `InvalidOptionsError`. @default the client's `retry` option (none)
   */
  retry?: boolean | CallRetryOptions;
}

/** Options of one event. */
export interface EmitOptions {
  /**
   * Store the event in the durable stream and resolve once JetStream acknowledged it, retrying
   * (under one message ID, so it is stored once) through reconnects and leader elections.
   * Durable events keep the correlation ID but not forwarded credentials: a stored event must
   * not hold a caller's token. @default false
   */
  durable?: boolean;
  /** How long a durable event may take to be stored, in milliseconds. @default the module's `requestTimeoutMs` */
  timeoutMs?: number;
  /**
   * The durable event's JetStream message ID: a second publish under the same ID within the
   * stream's duplicate window is not stored again, so an event kept in a database (an outbox)
   * can be published again after a crash without a copy. Durable events only. @default a new UUID
   */
  messageId?: string;
  /**
   * Headers for the event's handlers to read with `@CallerHeader(name)`, checked as a call's
   * are (`CallOptions.headers`); a durable event keeps them in the stream. @default none
   */
  headers?: Record<string, string>;
}

/** What `emit` returns: a hot Observable (Nest style) that can also be awaited. */
export type EmitResult = Observable<void> & PromiseLike<void>;

/**
 * Calls RPCs and emits events over NATS. Every message carries the current correlation ID
 * (or a new one at the edge), so a chain of nested calls keeps one ID.
 *
 * @example
 * const stock = await client.call<Stock>('inventory', 'get_stock', { sku: 'A-1' }, { timeoutMs: 2000 });
 * const same = await client.call<Stock>('inventory', 'get_stock', { sku: 'A-1' }, { retry: true }); // idempotent: retried
 * await client.emit('orders.events.created', { orderId });
 */
export class NatsClient extends ClientProxy<Record<string, Function>, NatsStatus> {
  private readonly logger = new Logger(NatsClient.name);
  readonly options: NormalizedNatsTransportOptions;
  private readonly rebuilder: ErrorRebuilder;
  private readonly subjects: CheckedSubjects;
  private readonly durable: DurablePublisher;
  private readonly resilience: CallResilience;
  private readonly tracer = new SdkTracer(NATS_TRACER_NAME);
  private inbox?: ReplyInbox;
  private readonly events = new EventEmitter();
  private nc?: NatsConnection;
  private connecting?: Promise<NatsConnection>;
  /** False from a disconnect until the reconnect: calls made meanwhile fail at once. */
  private reachable = true;

  constructor(options: NatsTransportModuleOptions) {
    super();
    this.options = normalizeNatsTransportOptions(options);
    this.rebuilder = new ErrorRebuilder(this.options.errors);
    this.subjects = new CheckedSubjects(this.options.subjectPrefix);
    this.durable = new DurablePublisher(this.options);
    this.resilience = new CallResilience(this.options, this.logger);
  }

  /** Calls `<service>.<method>` and resolves its reply, or rejects with a typed error. */
  call<TResult = unknown>(service: string, method: string, payload?: unknown, options: CallOptions = {}): Promise<TResult> {
    const subject = this.subjects.rpcSubject(service, method);
    if (subject === undefined) {
      return Promise.reject(new InvalidOptionsError('NatsClient', MESSAGES.invalidRpcName(`${service}.${method}`)));
    }
    let headers: CallerHeaderList | undefined;
    let retry: NormalizedCallRetry | undefined;
    try {
      if (options.headers !== undefined) headers = checkCallerHeaders(options.headers, `${service}.${method}`);
      retry = this.resilience.retryOf(options.retry);
    } catch (error) {
      return Promise.reject(error);
    }
    const timeoutMs = options.timeoutMs ?? this.options.requestTimeoutMs;
    if (retry === undefined && !this.resilience.breaking) return this.request<TResult>(subject, payload, timeoutMs, headers);
    return this.resilience.call(service, subject, timeoutMs, retry, (attemptMs) => this.request<TResult>(subject, payload, attemptMs, headers));
  }

  /**
   * The state of this client's circuit to each service it has called (`closed`, `open`,
   * `half-open`); empty without `circuitBreaker`. Readiness reports it.
   */
  circuitStates(): Record<string, CircuitStateName> {
    return this.resilience.circuitStates();
  }

  /**
   * Publishes an event on `subject` (under the subject prefix). Await it to learn of failures;
   * with `{ durable: true }` it resolves once the event is stored.
   */
  override emit<TResult = void, TInput = unknown>(subject: string, payload?: TInput, options: EmitOptions = {}): Observable<TResult> & EmitResult {
    const sent = this.sendEvent(subject, payload, options);
    // Fire-and-forget callers must not crash the process with an unhandled rejection.
    sent.catch(() => undefined);
    const result = from(sent) as unknown as Observable<TResult> & EmitResult;
    result.then = (onFulfilled, onRejected) => sent.then(onFulfilled, onRejected);
    return result;
  }

  async connect(): Promise<NatsConnection> {
    if (this.nc !== undefined) return this.nc;
    this.connecting ??= connectNats(this.options, 'client').then(
      (nc) => {
        this.nc = nc;
        this.inbox = new ReplyInbox(nc, this.options.connection.inboxPrefix);
        this._status$.next(NatsStatus.CONNECTED);
        this.reachable = true;
        const report = (status: NatsStatus) => {
          this.reachable = status === NatsStatus.CONNECTED;
          if (status === NatsStatus.DISCONNECTED) this.inbox?.abandonAll(lostConnection);
          this._status$.next(status);
          this.events.emit(status);
        };
        void watchConnection(nc, this.logger, report, { options: this.options, role: 'client' });
        return nc;
      },
      (error: unknown) => {
        this.connecting = undefined;
        throw new TransportError(`cannot connect to NATS at ${this.options.servers.join(', ')}`, { cause: error });
      },
    );
    return this.connecting;
  }

  async close(): Promise<void> {
    const pending = this.connecting;
    const inbox = this.inbox;
    this.nc = undefined;
    this.connecting = undefined;
    this.inbox = undefined;
    if (pending === undefined) return;
    const nc = await pending.catch(() => undefined);
    if (nc !== undefined) await closeConnection(nc, this.options.shutdownGraceMs);
    // Draining let the replies on their way arrive; what still waits never will.
    inbox?.abandonAll(lostConnection);
  }

  unwrap<T = NatsConnection>(): T {
    if (this.nc === undefined) throw new TransportError('the NATS client is not connected: call connect() first');
    return this.nc as T;
  }

  override on(event: string, callback: Function): void {
    this.events.on(event, callback as (...args: unknown[]) => void);
  }

  /** Nest's `send(pattern, data)`: a request on the subject `pattern` (under the prefix). */
  protected publish(packet: ReadPacket, callback: (packet: WritePacket) => void): () => void {
    const subject = `${this.options.subjectPrefix}${this.normalizePattern(packet.pattern)}`;
    this.request(subject, packet.data, this.options.requestTimeoutMs).then(
      (response) => callback({ response, isDisposed: true }),
      (err: unknown) => callback({ err, isDisposed: true }),
    );
    return () => undefined;
  }

  protected async dispatchEvent<T = unknown>(packet: ReadPacket): Promise<T> {
    await this.sendEvent(this.normalizePattern(packet.pattern), packet.data);
    return undefined as T;
  }

  /** Publishes an event, in a PRODUCER span when an OpenTelemetry SDK is registered. */
  private sendEvent(subject: string, payload: unknown, options: EmitOptions = {}): Promise<void> {
    const tracer = this.tracer.current();
    if (tracer === undefined) return this.publishEvent(subject, payload, options);
    // A durable event's span names its message ID, so the ID is chosen here rather than by the publisher.
    const traced = options.durable ? { ...options, messageId: options.messageId ?? randomUUID() } : options;
    const sending = { kind: 'event', subject: `${this.options.subjectPrefix}${subject}`, messageId: traced.messageId } as const;
    return traceSending(tracer, sending, () => this.publishEvent(subject, payload, traced));
  }

  private async publishEvent(subject: string, payload: unknown, options: EmitOptions = {}): Promise<void> {
    const target = this.subjects.eventSubject(subject);
    if (target === undefined) {
      throw new InvalidOptionsError('NatsClient', MESSAGES.invalidSubject(subject));
    }
    const caller = options.headers === undefined ? undefined : checkCallerHeaders(options.headers, subject);
    const nc = this.nc ?? (await this.connect());
    if (!options.durable) {
      if (options.messageId !== undefined) throw new InvalidOptionsError('NatsClient', MESSAGES.messageIdNeedsDurable(subject));
      const body = encodePayload(payload);
      const headers = this.outgoingHeaders(true, caller);
      try {
        nc.publish(target, body, { headers });
      } catch (error) {
        throw isMaxPayloadError(error) ? payloadTooLarge(nc, target, body, headers) : error;
      }
      return;
    }
    const timeoutMs = options.timeoutMs ?? this.options.requestTimeoutMs;
    await this.durable.publish(nc, target, encodePayload(payload), this.outgoingHeaders(false, caller), timeoutMs, options.messageId);
  }

  // Not `async`: without an SDK, the call costs no promise more than the untraced request.
  private request<T>(subject: string, payload: unknown, timeoutMs: number, caller?: CallerHeaderList): Promise<T> {
    const tracer = this.tracer.current();
    if (tracer !== undefined) return traceSending(tracer, { kind: 'call', subject }, () => this.untracedRequest<T>(subject, payload, timeoutMs, caller));
    return this.untracedRequest<T>(subject, payload, timeoutMs, caller);
  }

  private untracedRequest<T>(subject: string, payload: unknown, timeoutMs: number, caller?: CallerHeaderList): Promise<T> {
    if (!callChannel.hasSubscribers) return this.exchange<T>(subject, payload, timeoutMs, caller);
    const startedAt = performance.now();
    const current = CorrelationContext.currentId();
    const correlationId = current ?? CorrelationContext.currentOrNewId();
    // A call made at the edge runs in the ID it reports; inside a request the context (and the
    // headers it forwards) stays as it is.
    const exchange = () => this.exchange<T>(subject, payload, timeoutMs, caller);
    return (current === undefined ? CorrelationContext.run(correlationId, exchange) : exchange()).then(
      (result) => {
        this.reportCall(subject, correlationId, startedAt, timeoutMs);
        return result;
      },
      (error: unknown) => {
        this.reportCall(subject, correlationId, startedAt, timeoutMs, error as Error & { code?: string });
        throw error;
      },
    );
  }

  // Not `async` (a promise and a tick less per call); it never throws: every failure is a rejection.
  private exchange<T>(subject: string, payload: unknown, timeoutMs: number, caller?: CallerHeaderList): Promise<T> {
    if (this.nc === undefined) return this.connect().then(() => this.exchange<T>(subject, payload, timeoutMs, caller));
    // nats.js would buffer the request until a reconnect, and its reply would never come.
    if (!this.reachable) return Promise.reject(new TransportError(MESSAGES.notReachable(subject)));
    let body: Uint8Array;
    let headers: OutgoingHeaders;
    let replied: Promise<Msg>;
    try {
      body = encodePayload(payload);
      headers = this.outgoingHeaders(true, caller);
      replied = this.inbox!.request(subject, body, headers, timeoutMs);
    } catch (error) {
      return Promise.reject(error);
    }
    return replied.then(
      (reply) => this.readReply<T>(reply, subject),
      (error: unknown) => {
        // Measured with the headers: a caller's may be what tipped it over.
        throw isMaxPayloadError(error) ? payloadTooLarge(this.nc, subject, body, headers) : this.requestFailure(error, subject);
      },
    );
  }

  private reportCall(subject: string, correlationId: string, startedAt: number, timeoutMs: number, error?: Error & { code?: string }): void {
    const finishedAt = performance.now();
    const report: CallReport = {
      service: this.options.service,
      subject: subject.slice(this.options.subjectPrefix.length),
      correlationId,
      durationMs: finishedAt - startedAt,
      finishedAt,
      timeoutMs,
      failed: error !== undefined,
      errorName: error?.name,
      errorCode: error?.code,
    };
    callChannel.publish(report);
  }

  // The caller's headers go first: the framework's own, set after them, are the ones that count
  // (the caller's were checked not to name any of them).
  private outgoingHeaders(forward: boolean, caller?: CallerHeaderList): OutgoingHeaders {
    const h = new OutgoingHeaders();
    if (caller !== undefined) for (const [name, value] of caller) h.append(name, value);
    h.set(CORRELATION_ID_HEADER, CorrelationContext.currentOrNewId());
    const forwarded = forward ? CorrelationContext.forwardedHeaders() : undefined;
    if (forwarded !== undefined) for (const [name, value] of forwarded) h.set(name, value);
    if (this.tracer.current() !== undefined) injectTraceContext(h);
    return h;
  }

  private readReply<T>(reply: Msg, subject: string): T {
    if (reply.headers?.has(ERROR_STATUS_HEADER)) {
      let wire: unknown;
      try {
        wire = decodePayload(reply.data, subject);
      } catch {
        wire = internalWireError();
      }
      throw this.rebuilder.rebuild(isWireError(wire) ? wire : internalWireError(), subject);
    }
    return decodePayload(reply.data, subject) as T;
  }

  // The reply inbox rejects with typed errors; anything else came from publishing (a closed connection, say).
  private requestFailure(error: unknown, subject: string): Error {
    if (error instanceof TransportError || error instanceof RpcTimeoutError || error instanceof NoRespondersError || error instanceof MalformedPayloadError) return error;
    return new TransportError(MESSAGES.transportFailed(subject, (error as Error)?.message ?? String(error)), { cause: error });
  }
}

function lostConnection(subject: string): TransportError {
  return new TransportError(MESSAGES.connectionLost(subject));
}
