import { acceptCorrelationId, CorrelationContext, SdkTracer } from '@cliffracer/correlation';
import { Logger } from '@nestjs/common';
import { type CustomTransportStrategy, type MessageHandler, Server } from '@nestjs/microservices';
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import { EventEmitter } from 'node:events';
import { type JetStreamClient, type JsMsg, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { ServiceDiscovery } from './discovery/service-discovery.js';
import { DurableConsumer } from './durable/durable-consumer.js';
import { durableConsumerName } from './durable/durable-options.js';
import { durableStreamSettings, ensureDurableStream } from './durable/durable-stream.js';
import { DuplicateHandlerError } from './errors/duplicate-handler.error.js';
import { MalformedPayloadError } from './errors/malformed-payload.error.js';
import { OverloadedError } from './errors/overloaded.error.js';
import { TransportError } from './errors/transport.error.js';
import { withDeadline } from './handler-invoker.js';
import { ConcurrencyLimiter } from './concurrency.limiter.js';
import { EventDelivery } from './event-delivery.js';
import { captureMessageContext } from './message-context.js';
import { isThenable, type MaybePromise } from './maybe-promise.js';
import { FaultReports } from './fault.reports.js';
import { handledChannel, overloadChannel } from './nats-transport.diagnostics.js';
import { reportHandled } from './handled.report.js';
import { reportOverload } from './overload.report.js';
import { InFlightRegistry } from './in-flight.registry.js';
import type {
  NatsTransportModuleOptions,
  NormalizedNatsTransportOptions,
} from './interfaces/nats-transport-options.interface.js';
import { closeConnection, connectNats, NatsStatus, settlesWithin, watchConnection } from './nats-connection.js';
import { buildRoutes, type NatsRoute, subjectOf } from './nats-routes.js';
import { MESSAGES } from './nats-transport.messages.js';
import { normalizeNatsTransportOptions } from './nats-transport.options.js';
import { RefusalLog } from './refusal.log.js';
import { RequestBulkhead } from './request-bulkhead.js';
import { RequestReplies } from './request-replies.js';
import { warnIfServerTooOld } from './server-version.js';
import { NATS_TRACER_NAME } from './tracing/messaging-attributes.js';
import { traceHandling } from './tracing/handling.trace.js';
import { readIncomingHeaders } from './wire/message-headers.js';
import { toWireError, type WireError } from './wire/wire-error.js';
// Node 20 serves the global `performance` through a lazy getter on every read; the import does not.
import { performance } from 'node:perf_hooks';

/** A subscription or durable consumer of the server, as tools show it. */
export interface NatsRouteInfo {
  kind: 'rpc' | 'event';
  subject: string;
  queue?: string;
  /** Name of the JetStream durable consumer. */
  durable?: string;
  timeoutMs?: number;
}

/**
 * The Nest transport strategy that serves `@Rpc` and `@Event` handlers over NATS.
 *
 * Requests run inside the caller's correlation context and through the full Nest pipeline;
 * a reply is the handler's result as JSON, or an error reply (`{ name, message, code, data }`
 * with the NATS service error headers). On close it stops taking messages, lets in-flight
 * handlers finish (up to `shutdownGraceMs`), then drains the connection.
 *
 * @example
 * const app = await NestFactory.createMicroservice(AppModule, { strategy: new NatsServer({ service: 'orders' }) });
 * const guards = installProcessGuards(app);   // SIGTERM: stop taking messages, finish in-flight, drain
 * await app.listen().catch((error) => guards.abortStart(error));
 */
export class NatsServer extends Server<Record<string, Function>, NatsStatus> implements CustomTransportStrategy {
  protected override readonly logger = new Logger(NatsServer.name);
  /** Handlers running now: shutdown waits for them. */
  readonly inFlight = new InFlightRegistry();
  readonly options: NormalizedNatsTransportOptions;
  /**
   * True when the microservice shares its HTTP app's ApplicationConfig (`connectMicroservice`
   * with `inheritAppConfig`, as `createHttpService` connects it): its handlers' pipelines are
   * then compiled in a hybrid app too.
   */
  sharesAppConfig = false;
  private readonly events = new EventEmitter();
  private nc?: NatsConnection;
  private js?: JetStreamClient;
  private subscriptions: Subscription[] = [];
  private routes: NatsRoute[] = [];
  private durableConsumers: DurableConsumer[] = [];
  private readonly delivery: EventDelivery;
  private readonly eventSlots: ConcurrencyLimiter;
  private readonly refusals = new RefusalLog(this.logger);
  private readonly replies: RequestReplies;
  private readonly faults: FaultReports;
  /** The service's shared bulkhead for RPC requests (`maxConcurrentRequests`). */
  private readonly requestSlots: RequestBulkhead;
  private readonly tracer = new SdkTracer(NATS_TRACER_NAME);
  private readonly discovery?: ServiceDiscovery;
  /** Pipelines compiled at boot, by kind and pattern. */
  private readonly compiled = new Map<string, (data: unknown, context: unknown) => unknown>();

  constructor(options: NatsTransportModuleOptions) {
    super();
    this.options = normalizeNatsTransportOptions(options);
    this.delivery = new EventDelivery(this.options, this.logger, this.refusals);
    this.replies = new RequestReplies(this.options, this.logger, this.refusals, () => this.nc);
    this.faults = new FaultReports(this.options.service);
    const { maxConcurrentEvents, maxQueuedEvents, maxQueuedEventBytes, service, subjectPrefix, maxConcurrentRequests, maxQueuedRequests, requestTimeoutMs } = this.options;
    this.eventSlots = new ConcurrencyLimiter(maxConcurrentEvents, maxQueuedEvents, maxQueuedEventBytes, captureMessageContext);
    const door = { service, subjectPrefix, replies: this.replies, refusals: this.refusals };
    this.requestSlots = new RequestBulkhead(door, 'service', maxConcurrentRequests, maxQueuedRequests, requestTimeoutMs);
    if (this.options.discovery) this.discovery = new ServiceDiscovery(this.options, this.logger, this.refusals);
  }

  /** Nest silently keeps the last of two handlers for one RPC; here that is an error at boot. */
  override addHandler(pattern: unknown, callback: MessageHandler, isEventHandler = false, extras = {}): void {
    if (!isEventHandler && this.messageHandlers.has(this.normalizePattern(pattern as string))) {
      throw new DuplicateHandlerError(this.normalizePattern(pattern as string));
    }
    super.addHandler(pattern, callback, isEventHandler, extras);
  }

  /**
   * Runs messages of `pattern` through `handler`, a pipeline compiled at boot from Nest's
   * guards, pipes and filters of the handler (see `HandlerPipelines`), instead of Nest's own.
   */
  useCompiledHandler(pattern: unknown, isEventHandler: boolean, handler: (data: unknown, context: unknown) => unknown): void {
    this.compiled.set(compiledKey(isEventHandler, this.normalizePattern(pattern as string)), handler);
    // A hybrid app may start its microservice before its modules initialize: the server already
    // listens, and its routes take the pipeline from the next message on (the same answers).
    this.useCompiled(this.routes);
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      const routes = buildRoutes(this.messageHandlers, this.options);
      this.useCompiled(routes);
      for (const route of routes) {
        // A handler with `@Rpc({ maxConcurrent })` gets a compartment of its own; the others share the service's.
        if (route.kind === 'rpc') route.bulkhead = route.concurrency ? this.requestSlots.forHandler(route.concurrency) : this.requestSlots;
      }
      this.routes = routes;
      const nc = await connectNats(this.options, 'server');
      this.nc = nc;
      warnIfServerTooOld(nc, this.logger);
      void watchConnection(nc, this.logger, (status) => this.report(status), { options: this.options, role: 'server' });
      this.subscriptions = routes.filter((route) => !route.durable).map((route) => this.subscribe(nc, route));
      await this.startDurable(nc, routes.filter((route) => route.durable));
      await this.discovery?.start(nc, routes);
      // The NATS server knows every subscription before the service says it is ready.
      await nc.flush();
      this._status$.next(NatsStatus.CONNECTED);
      callback();
    } catch (error) {
      callback(error);
    }
  }

  async close(): Promise<void> {
    const nc = this.nc;
    if (nc === undefined) return;
    this.nc = undefined;
    this.discovery?.stop();
    const grace = this.options.shutdownGraceMs;
    // Unsubscribing stops new work; messages already received are still handled.
    const stopping = [...this.subscriptions.map((sub) => sub.drain()), ...this.durableConsumers.map((c) => c.stop())];
    await settlesWithin(Promise.all(stopping), grace);
    this.subscriptions = [];
    this.durableConsumers = [];
    if (!(await this.inFlight.whenIdle(grace))) {
      this.logger.warn(`closing with ${this.inFlight.size} handler(s) still running after ${grace}ms`);
    }
    await closeConnection(nc, grace);
    this.refusals.flush();
    this.events.removeAllListeners();
  }

  /** Where the service listens: one entry per subscription or durable consumer. */
  describeRoutes(): NatsRouteInfo[] {
    return this.routes.map(({ kind, subject, queue, durable, timeoutMs }) => ({
      kind,
      subject,
      ...(queue !== undefined && { queue }),
      ...(durable !== undefined && { durable: durableConsumerName(this.options.service, durable) }),
      ...(timeoutMs !== undefined && { timeoutMs }),
    }));
  }

  /** The ID this instance answers NATS service discovery (`$SRV.*`) with; undefined while discovery is off. */
  get instanceId(): string | undefined {
    return this.discovery?.id;
  }

  /** The NATS connection; only after `listen()`. */
  unwrap<T = NatsConnection>(): T {
    if (this.nc === undefined) throw new TransportError(MESSAGES.notConnected());
    return this.nc as T;
  }

  /**
   * Resolves once the NATS server has answered a PING within `timeoutMs`, else rejects with a
   * `TransportError`. Only a round trip shows that the connection's reader still runs: a reader
   * that died keeps the status at "connected". Readiness checks call it.
   */
  ping(timeoutMs = 1000): Promise<void> {
    const nc = this.nc;
    if (nc === undefined || nc.isClosed()) return Promise.reject(new TransportError(MESSAGES.notConnected()));
    // nats.js rejects a flush while disconnected with its own RequestError: callers get the typed one.
    const answered = nc.flush().catch((error: unknown) => {
      throw new TransportError(MESSAGES.pingFailed((error as Error)?.message ?? String(error)), { cause: error });
    });
    return withDeadline(answered, timeoutMs, () => new TransportError(MESSAGES.pingUnanswered(timeoutMs)));
  }

  /** Listens to connection changes: `'disconnected'`, `'reconnecting'`, `'connected'`, `'closed'`. */
  on(event: string, callback: Function): void {
    this.events.on(event, callback as (...args: unknown[]) => void);
  }

  private report(status: NatsStatus): void {
    this._status$.next(status);
    this.events.emit(status);
  }

  /** Creates or extends the shared stream, then one durable consumer per durable handler. */
  private async startDurable(nc: NatsConnection, routes: NatsRoute[]): Promise<void> {
    if (routes.length === 0) return;
    const { subjectPrefix, service, deadLetterSubject } = this.options;
    const jsm = await jetstreamManager(nc);
    const js = jetstream(nc);
    this.js = js;
    const settings = durableStreamSettings(this.options);
    const stream = settings.name;
    const subjects = [...routes.map((route) => route.subject), `${subjectPrefix}${deadLetterSubject}.>`];
    await ensureDurableStream(jsm, settings, subjects);
    for (const route of routes) {
      const consumer = new DurableConsumer(js, stream, durableConsumerName(service, route.durable!), route.subject, route.durable!, this.logger);
      this.durableConsumers.push(consumer);
      const handle = (msg: JsMsg) => this.handleTracked(route, msg, () => this.delivery.deliverDurable(route, msg, js));
      await consumer.start(jsm, (msg) => this.guarded(route, msg, handle));
    }
  }

  private subscribe(nc: NatsConnection, route: NatsRoute): Subscription {
    const handle = route.kind === 'rpc' ? this.onRequest.bind(this, route) : this.onEvent.bind(this, route);
    return nc.subscribe(route.subject, {
      queue: route.queue,
      callback: (error, msg) => {
        if (error) {
          this.logger.error(`subscription to ${route.subject} failed: ${error.message}`);
          return;
        }
        this.guarded(route, msg, handle);
      },
    });
  }

  // Whatever handling throws would close a subscription's reader, or end a durable consumer's
  // loop, and silence the route: it is logged once per burst instead. A durable message comes
  // back after its ack wait, and its last delivery is dead-lettered, so none comes back forever.
  private guarded<M extends Msg | JsMsg>(route: NatsRoute, msg: M, handle: (msg: M) => void): void {
    try {
      handle(msg);
    } catch (thrown) {
      this.refusals.warn(`UNHANDLED ${route.subject}`, `message on ${msg.subject} could not be handled: ${(thrown as Error)?.message}`);
      const durable = route.durable;
      if (durable !== undefined && (msg as JsMsg).info.deliveryCount >= durable.maxDeliver) {
        void this.delivery.refuseDurable(route, msg as JsMsg, toWireError(thrown), this.js!);
      }
    }
  }

  private onRequest(route: NatsRoute, msg: Msg): void {
    const bulkhead = route.bulkhead!;
    if (bulkhead.full()) {
      this.refuse(route, msg, bulkhead.overloaded(route, msg.subject));
      return;
    }
    this.handleTracked(route, msg, () => bulkhead.run(route, msg));
  }

  // Counted in flight from arrival, so shutdown also waits for events still waiting their turn.
  private onEvent(route: NatsRoute, msg: Msg): void {
    // nats.js makes a new view of the body on each read of `msg.data`: read once, handed on.
    const data = msg.data;
    const bytes = data.length;
    if (this.eventSlots.full(bytes)) {
      const { maxQueuedEvents, maxQueuedEventBytes, service, subjectPrefix } = this.options;
      if (overloadChannel.hasSubscribers) {
        const { running, queued } = this.eventSlots;
        reportOverload({ kind: 'event', service, subjectPrefix, subject: msg.subject, route: route.name, scope: 'service', outcome: 'refused', running, queued });
      }
      this.refuse(route, msg, new OverloadedError(msg.subject, MESSAGES.eventQueueFull(msg.subject, this.eventSlots.queued, maxQueuedEvents, maxQueuedEventBytes)));
      return;
    }
    this.handleTracked(route, msg, () => this.eventSlots.schedule(() => this.delivery.deliverCore(route, msg, this.nc, data), bytes));
  }

  /**
   * Runs `work` in the message's correlation context, listed as in flight until it settles;
   * `work` resolves the failure it answered with, if any, for the diagnostics report.
   */
  private handleTracked(route: NatsRoute, msg: Msg | JsMsg, work: () => MaybePromise<WireError | undefined>): void {
    const incoming = readIncomingHeaders(msg);
    if (incoming.fault !== undefined) {
      this.refuse(route, msg, incoming.fault);
      return;
    }
    const correlationId = acceptCorrelationId(incoming.correlationId);
    const startedAt = performance.now();
    // Without an OpenTelemetry SDK no span is made and no trace header read.
    const tracer = this.tracer.current();
    const handled =
      tracer === undefined
        ? CorrelationContext.run(correlationId, work)
        : traceHandling(tracer, route, msg, correlationId, this.options.service, () => Promise.resolve(CorrelationContext.run(correlationId, work)));
    // Work done at once was never in flight; the rest is listed until it settles, for shutdown to wait on.
    if (!isThenable(handled)) {
      this.handled(route, msg, correlationId, startedAt, handled);
      return;
    }
    const entry = this.inFlight.begin(subjectOf(route, msg), correlationId);
    const done = (failure: WireError | undefined) => {
      this.inFlight.end(entry);
      this.handled(route, msg, correlationId, startedAt, failure);
    };
    handled.then(done, (error: unknown) => done(toWireError(error)));
  }

  // The message rather than its subject: only a report needs the subject.
  // One clock read serves the stats and the report.
  private handled(route: NatsRoute, msg: Msg | JsMsg, correlationId: string, startedAt: number, failure: WireError | undefined): void {
    const reported = handledChannel.hasSubscribers;
    if (route.stats === undefined && !reported) return;
    const finishedAt = performance.now();
    route.stats?.record(finishedAt - startedAt, failure);
    if (reported) reportHandled(this.options, route, msg, correlationId, startedAt, finishedAt, failure);
  }

  private useCompiled(routes: NatsRoute[]): void {
    const compiled = this.compiledHandlers();
    for (const route of routes) route.invoke = compiled.get(route.handler) ?? route.handler;
  }

  // Several event handlers on one pattern stay on Nest's chain, which gives each the event.
  private compiledHandlers(): Map<MessageHandler, MessageHandler> {
    const invokers = new Map<MessageHandler, MessageHandler>();
    for (const [pattern, handler] of this.messageHandlers) {
      const compiled = this.compiled.get(compiledKey(handler.isEventHandler === true, pattern));
      if (compiled !== undefined && !(handler.isEventHandler && handler.next)) invokers.set(handler, compiled as MessageHandler);
    }
    return invokers;
  }

  /** Answers or dead-letters a message refused before any handler saw it, logged once per burst. */
  private refuse(route: NatsRoute, msg: Msg | JsMsg, error: MalformedPayloadError | OverloadedError): void {
    const wire = toWireError(error);
    route.stats?.refused(wire);
    this.refusals.warn(`${wire.code} ${route.subject}`, `refused message on ${msg.subject}: ${wire.message}`);
    this.faults.refused(route, wire.code);
    if (route.kind === 'rpc') this.replies.replyError(msg as Msg, wire);
    else if (route.durable !== undefined) void this.delivery.refuseDurable(route, msg as JsMsg, wire, this.js!);
    else this.delivery.refuseCore(route, msg as Msg, wire, this.nc);
  }
}

/** Where a compiled pipeline is kept: an RPC and an event handler may share a pattern. */
function compiledKey(isEventHandler: boolean, pattern: string): string {
  return `${isEventHandler ? 'event' : 'rpc'} ${pattern}`;
}
