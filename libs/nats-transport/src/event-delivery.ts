import { SdkTracer } from '@cliffracer/correlation';
import type { LoggerService } from '@nestjs/common';
import { MessageNatsContext } from './message-nats.context.js';
import type { Span } from '@opentelemetry/api';
import type { JetStreamClient, JsMsg } from '@nats-io/jetstream';
import { headers as natsHeaders, type Msg, type MsgHdrs, type NatsConnection } from '@nats-io/transport-node';
import { backoffAfter } from './durable/durable-options.js';
import { FaultReports } from './fault.reports.js';
import { invokeNow } from './handler-invoker.js';
import { isThenable, type MaybePromise } from './maybe-promise.js';
import type { NormalizedNatsTransportOptions } from './interfaces/nats-transport-options.interface.js';
import type { NatsRoute } from './nats-routes.js';
import { DEAD_LETTER_ERROR_HEADER, ORIGINAL_SUBJECT_HEADER, SERVICE_HEADER } from './nats-transport.constants.js';
import type { RefusalLog } from './refusal.log.js';
import { NATS_TRACER_NAME } from './tracing/messaging-attributes.js';
import { endDeadLetter, startDeadLetter, traceRedelivery } from './tracing/settling.trace.js';
import { logInternalFailure } from './wire/internal-failure.log.js';
import { decodePayload } from './wire/json.codec.js';
import { INTERNAL_ERROR_CODE, isConvertedWireError, toWireErrorAfterFilters, toWireError, type WireError } from './wire/wire-error.js';

/** What an event message offers, core or JetStream. */
type EventMessage = Pick<Msg, 'subject' | 'data'> & { headers?: MsgHdrs };

/**
 * Hands events to their handlers. Every handler on a pattern gets the event, and a failure
 * never loses it: core events are republished to the dead-letter subject, durable
 * ones are redelivered with backoff and dead-lettered after `maxDeliver` attempts.
 */
export class EventDelivery {
  private readonly faults: FaultReports;
  private readonly tracer = new SdkTracer(NATS_TRACER_NAME);

  constructor(
    private readonly options: NormalizedNatsTransportOptions,
    private readonly logger: LoggerService,
    private readonly refusals: RefusalLog,
  ) {
    this.faults = new FaultReports(options.service);
  }

  /** Dead-letters a failed event; resolves the failure, if any (for diagnostics). `data`: its body, if already read. */
  deliverCore(route: NatsRoute, msg: Msg, nc: NatsConnection | undefined, data = msg.data): MaybePromise<WireError | undefined> {
    const ran = this.run(route, msg, data);
    if (ran === undefined) return undefined;
    const deadLetter = (failure: WireError | undefined) => {
      if (failure !== undefined) this.deadLetterCore(route, nc, msg, failure);
      return failure;
    };
    return isThenable(ran) ? ran.then(deadLetter) : deadLetter(ran);
  }

  /** Dead-letters an event refused before any handler saw it (headers that cannot be read). */
  refuseCore(route: NatsRoute, msg: Msg, wire: WireError, nc: NatsConnection | undefined): void {
    this.deadLetterCore(route, nc, msg, wire, false);
  }

  /** Dead-letters a refused durable event, then terminates it. */
  refuseDurable(route: NatsRoute, msg: JsMsg, wire: WireError, js: JetStreamClient): Promise<void> {
    return this.deadLetterDurable(js, route, msg, wire, msg.info.deliveryCount, false);
  }

  /** Acknowledges, redelivers later or dead-letters; resolves the failure, if any. */
  async deliverDurable(route: NatsRoute, msg: JsMsg, js: JetStreamClient): Promise<WireError | undefined> {
    const spec = route.durable!;
    // A long handler keeps its claim on the event instead of letting JetStream redeliver it.
    const beat = setInterval(() => {
      try {
        msg.working();
      } catch {
        // Connection closed under a handler cut off at the grace deadline: nothing left to claim.
        // Thrown from a timer, it would be an uncaught exception.
      }
    }, Math.max(500, Math.floor(spec.ackWaitMs / 2)));
    let failure: WireError | undefined;
    try {
      failure = await this.run(route, msg);
    } finally {
      clearInterval(beat);
    }
    if (failure === undefined) {
      msg.ack();
      return undefined;
    }
    const attempt = msg.info.deliveryCount;
    if (failure.code === 'BAD_PAYLOAD' || attempt >= spec.maxDeliver) {
      await this.deadLetterDurable(js, route, msg, failure, attempt);
      return failure;
    }
    const waitMs = backoffAfter(spec, attempt);
    this.refusals.warn(`REDELIVER ${failure.code} ${route.subject}`, `durable event on ${msg.subject} failed (delivery ${attempt} of ${spec.maxDeliver}), redelivering in ${waitMs}ms`);
    traceRedelivery(this.tracer.current(), msg.subject, attempt, waitMs, failure);
    msg.nak(waitMs);
    this.faults.redelivering(route, failure.code, attempt, waitMs);
    return failure;
  }

  /**
   * Runs the event's handlers and resolves their failure, logged once, if any. Calling the
   * first handler is enough: Nest's wrapper of an event handler runs the handlers chained
   * after it and joins their results, so each one gets the event once and the first failure
   * comes back here. A malformed body fails at once, without any handler.
   */
  private run(route: NatsRoute, msg: EventMessage, data = msg.data): MaybePromise<WireError | undefined> {
    let payload: unknown;
    try {
      payload = decodePayload(data, msg, route.limits);
    } catch (error) {
      const wire = toWireError(error);
      this.refusals.warn(`${wire.code} ${route.subject}`, `rejected event on ${msg.subject}: ${wire.message}`);
      return wire;
    }
    // A handler that finished at once costs no promise: each costs async-hook calls under the correlation context.
    const handled = invokeNow(route.invoke, payload, new MessageNatsContext(msg));
    if (!isThenable(handled)) return undefined;
    return handled.then(
      () => undefined,
      (error: unknown) => this.logFailure(error, route, msg.subject),
    );
  }

  /**
   * RpcErrorFilter has already logged what it converted; the rest is logged here: internal
   * failures each with their stack, refusals (a payload that failed validation) once per burst.
   */
  private logFailure(error: unknown, route: NatsRoute, subject: string): WireError {
    const wire = toWireErrorAfterFilters(error, this.options.errors);
    if (isConvertedWireError(error)) return wire;
    if (wire.code === INTERNAL_ERROR_CODE) logInternalFailure(this.logger, 'event handler', subject, error);
    else this.refusals.warn(`${wire.code} ${route.subject}`, `event handler failed on ${subject}: ${wire.name}: ${wire.message}`);
    return wire;
  }

  private deadLetterCore(route: NatsRoute, nc: NatsConnection | undefined, msg: Msg, wire: WireError, keepHeaders = true): void {
    if (nc === undefined || nc.isClosed()) {
      this.logger.error(`event lost on ${msg.subject}: connection closed before dead-lettering`);
      return;
    }
    let span: Span | undefined;
    try {
      const subject = this.deadLetterSubject(msg.subject);
      const headers = this.deadLetterHeaders(msg, wire, keepHeaders);
      span = startDeadLetter(this.tracer.current(), subject, wire, headers, keepHeaders ? msg.headers : undefined);
      nc.publish(subject, msg.data, { headers });
      endDeadLetter(span);
      this.faults.deadLettered(route, wire.code);
    } catch (error) {
      endDeadLetter(span, error);
      this.logger.error(`event lost on ${msg.subject}: ${(error as Error).message}`);
    }
  }

  // The event is terminated only once JetStream has stored its dead letter; otherwise it is retried.
  private async deadLetterDurable(js: JetStreamClient, route: NatsRoute, msg: JsMsg, wire: WireError, attempt: number, keepHeaders = true): Promise<void> {
    let span: Span | undefined;
    try {
      const subject = this.deadLetterSubject(msg.subject);
      const headers = this.deadLetterHeaders(msg, wire, keepHeaders);
      span = startDeadLetter(this.tracer.current(), subject, wire, headers, keepHeaders ? msg.headers : undefined);
      await js.publish(subject, msg.data, { headers });
      endDeadLetter(span);
      // Once per burst: whoever may publish could otherwise write a line per hostile event. The
      // dead letter itself carries the error of each one.
      this.refusals.warn(`DEAD_LETTER ${wire.code} ${route.subject}`, `durable event on ${msg.subject} dead-lettered after ${attempt} deliveries: ${wire.name}: ${wire.message}`);
      // No reason with the TERM: nats-server before 2.10 ignores a `+TERM <reason>` it cannot
      // parse and redelivers the event after its ack wait. The reason travels in the dead letter.
      msg.term();
      this.faults.deadLettered(route, wire.code);
    } catch (error) {
      endDeadLetter(span, error);
      this.logger.error(`could not dead-letter ${msg.subject}, redelivering: ${(error as Error).message}`);
      try {
        msg.nak(backoffAfter(route.durable!, attempt));
      } catch {
        // The connection is gone (a shutdown under way): JetStream redelivers after the ack wait.
        // Thrown from here, it would be an unhandled rejection of a refused event.
      }
    }
  }

  private deadLetterSubject(subject: string): string {
    const { subjectPrefix, deadLetterSubject } = this.options;
    return `${subjectPrefix}${deadLetterSubject}.${subject.slice(subjectPrefix.length)}`;
  }

  // A message whose own headers could not be decoded is dead-lettered with ours only.
  private deadLetterHeaders(msg: EventMessage, wire: WireError, keepHeaders: boolean): MsgHdrs {
    const h = natsHeaders();
    for (const [key, values] of (keepHeaders && msg.headers) || []) {
      // Publish-time JetStream directives (dedup ID, expectations) must not apply to the dead letter.
      if (/^nats-(msg-id|expected-)/i.test(key)) continue;
      for (const value of values) h.append(key, value);
    }
    h.set(ORIGINAL_SUBJECT_HEADER, msg.subject);
    h.set(DEAD_LETTER_ERROR_HEADER, `${wire.name}: ${wire.message}`.replace(/[\r\n]+/g, ' '));
    h.set(SERVICE_HEADER, this.options.service);
    return h;
  }
}
