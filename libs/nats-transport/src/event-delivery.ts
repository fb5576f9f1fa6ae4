import type { LoggerService } from '@nestjs/common';
import { type MessageHandler, NatsContext } from '@nestjs/microservices';
import type { JetStreamClient, JsMsg } from '@nats-io/jetstream';
import { headers as natsHeaders, type Msg, type MsgHdrs, type NatsConnection } from '@nats-io/transport-node';
import { backoffAfter } from './durable/durable-options.js';
import { invokeHandler } from './handler-invoker.js';
import type { NormalizedNatsTransportOptions } from './interfaces/nats-transport-options.interface.js';
import type { NatsRoute } from './nats-routes.js';
import { DEAD_LETTER_ERROR_HEADER, ORIGINAL_SUBJECT_HEADER, SERVICE_HEADER } from './nats-transport.constants.js';
import { decodePayload } from './wire/json.codec.js';
import { INTERNAL_ERROR_CODE, isWireError, toWireError, type WireError } from './wire/wire-error.js';

/** What an event message offers, core or JetStream. */
type EventMessage = Pick<Msg, 'subject' | 'data'> & { headers?: MsgHdrs };

/**
 * Hands events to their handlers. Every handler chained on a pattern gets the event, and a
 * failure never loses it: core events are republished to the dead-letter subject, durable
 * ones are redelivered with backoff and dead-lettered after `maxDeliver` attempts.
 */
export class EventDelivery {
  constructor(
    private readonly options: NormalizedNatsTransportOptions,
    private readonly logger: LoggerService,
  ) {}

  /** Resolves the first failure, if any (for diagnostics). */
  async deliverCore(route: NatsRoute, msg: Msg, nc: NatsConnection | undefined): Promise<WireError | undefined> {
    const failures = await this.run(route, msg);
    for (const wire of failures) this.deadLetterCore(nc, msg, wire);
    return failures[0];
  }

  /** Acknowledges, redelivers later or dead-letters; resolves the first failure, if any. */
  async deliverDurable(route: NatsRoute, msg: JsMsg, js: JetStreamClient): Promise<WireError | undefined> {
    const spec = route.durable!;
    // A long handler keeps its claim on the event instead of letting JetStream redeliver it.
    const beat = setInterval(() => msg.working(), Math.max(500, Math.floor(spec.ackWaitMs / 2)));
    let failures: WireError[];
    try {
      failures = await this.run(route, msg);
    } finally {
      clearInterval(beat);
    }
    if (failures.length === 0) {
      msg.ack();
      return undefined;
    }
    const attempt = msg.info.deliveryCount;
    const poison = failures.some((wire) => wire.code === 'BAD_PAYLOAD');
    if (poison || attempt >= spec.maxDeliver) {
      await this.deadLetterDurable(js, route, msg, failures[0], attempt);
      return failures[0];
    }
    const waitMs = backoffAfter(spec, attempt);
    this.logger.warn?.(`durable event on ${msg.subject} failed (delivery ${attempt} of ${spec.maxDeliver}), redelivering in ${waitMs}ms`);
    msg.nak(waitMs);
    return failures[0];
  }

  /** Runs the handler chain; resolves the failures, each logged once. A malformed body fails at once. */
  private async run(route: NatsRoute, msg: EventMessage): Promise<WireError[]> {
    let payload: unknown;
    try {
      payload = decodePayload(msg.data, msg.subject);
    } catch (error) {
      const wire = toWireError(error);
      this.logger.warn?.(`rejected event on ${msg.subject}: ${wire.message}`);
      return [wire];
    }
    const context = new NatsContext([msg.subject, msg.headers]);
    const failures: WireError[] = [];
    for (let handler: MessageHandler | undefined = route.handler; handler; handler = handler.next) {
      try {
        await invokeHandler(handler, payload, context);
      } catch (error) {
        failures.push(this.logFailure(error, msg.subject));
      }
    }
    return failures;
  }

  // RpcErrorFilter has already logged unknown errors with their stack; the rest are logged here.
  private logFailure(error: unknown, subject: string): WireError {
    const wire = toWireError(error);
    const loggedByFilter = isWireError(error) && wire.code === INTERNAL_ERROR_CODE;
    if (!loggedByFilter) {
      const stack = wire.code === INTERNAL_ERROR_CODE ? (error as Error)?.stack : undefined;
      this.logger.error(`event handler failed on ${subject}: ${wire.name}: ${wire.message}`, stack);
    }
    return wire;
  }

  private deadLetterCore(nc: NatsConnection | undefined, msg: Msg, wire: WireError): void {
    if (nc === undefined || nc.isClosed()) {
      this.logger.error(`event lost on ${msg.subject}: connection closed before dead-lettering`);
      return;
    }
    try {
      nc.publish(this.deadLetterSubject(msg.subject), msg.data, { headers: this.deadLetterHeaders(msg, wire) });
    } catch (error) {
      this.logger.error(`event lost on ${msg.subject}: ${(error as Error).message}`);
    }
  }

  // The event is terminated only once JetStream has stored its dead letter; otherwise it is retried.
  private async deadLetterDurable(js: JetStreamClient, route: NatsRoute, msg: JsMsg, wire: WireError, attempt: number): Promise<void> {
    try {
      await js.publish(this.deadLetterSubject(msg.subject), msg.data, { headers: this.deadLetterHeaders(msg, wire) });
      this.logger.error(`durable event on ${msg.subject} dead-lettered after ${attempt} deliveries: ${wire.name}: ${wire.message}`);
      msg.term(`${wire.name}: ${wire.message}`.slice(0, 200));
    } catch (error) {
      this.logger.error(`could not dead-letter ${msg.subject}, redelivering: ${(error as Error).message}`);
      msg.nak(backoffAfter(route.durable!, attempt));
    }
  }

  private deadLetterSubject(subject: string): string {
    const { subjectPrefix, deadLetterSubject } = this.options;
    return `${subjectPrefix}${deadLetterSubject}.${subject.slice(subjectPrefix.length)}`;
  }

  private deadLetterHeaders(msg: EventMessage, wire: WireError): MsgHdrs {
    const h = natsHeaders();
    for (const [key, values] of msg.headers ?? []) {
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
