import { InvalidOptionsError } from '@cliffracer/common';
import { EventPattern } from '@nestjs/microservices';
import { EVENT_HANDLER_KIND } from '../nats-transport.constants.js';
import { resolvePayloadLimits } from '../nats-transport.limits.js';
import { MESSAGES } from '../nats-transport.messages.js';
import type { EventMetadata, EventOptions } from '../interfaces/handler-metadata.interface.js';
import { isValidSubjectPattern } from '../subjects.js';
import { normalizeDurableOptions } from '../durable/durable-options.js';

/**
 * Marks a method as an event handler on a subject; `*` matches one token, `>` the rest.
 * Each event reaches one instance of the service (a queue group named after it), so a
 * service handles an event once however many instances run; `broadcast` reaches all.
 * A handler that throws is logged and the event is republished to the dead-letter subject.
 *
 * With `durable`, the handler consumes through a JetStream durable consumer: events wait in
 * the stream while the service is down, a throwing handler gets the event again after a
 * backoff, and after `maxDeliver` attempts the event goes to the dead-letter subject.
 *
 * @example
 * @Event('orders.events.*')
 * onOrderEvent(@Payload() event: OrderEvent, @Ctx() ctx: NatsContext) { ... }
 *
 * @Event('orders.events.paid', { durable: 'ship-paid', maxDeliver: 5, backoffMs: [1000, 10000] })
 * ship(@Payload() order: PaidOrder) { ... }
 */
export function Event(subject: string, options: EventOptions = {}): MethodDecorator {
  if (!isValidSubjectPattern(subject)) throw new InvalidOptionsError('Event', MESSAGES.invalidSubject(subject));
  const durable = normalizeDurableOptions(subject, options);
  const { limits } = options;
  if (limits !== undefined) resolvePayloadLimits('Event', limits);
  const metadata: EventMetadata = { kind: EVENT_HANDLER_KIND, broadcast: options.broadcast ?? false, ...(durable && { durable }), ...(limits && { limits }) };
  // Nest 12 types EventPattern by payload; @Event stays untyped like @Rpc.
  return EventPattern(subject, metadata as unknown as Record<string, unknown>) as unknown as MethodDecorator;
}
