import { boundedTraceValue, runInSpan } from '@cliffracer/correlation';
import type { JsMsg } from '@nats-io/jetstream';
import type { Msg } from '@nats-io/transport-node';
import { type Attributes, propagation, ROOT_CONTEXT, SpanKind, type Tracer } from '@opentelemetry/api';
import { durableConsumerName } from '../durable/durable-options.js';
import type { NatsRoute } from '../nats-routes.js';
import type { WireError } from '../wire/wire-error.js';
import { MessagingOperation, messagingAttributes } from './messaging-attributes.js';
import { natsTraceGetter } from './nats-trace-carrier.js';

/** The header JetStream deduplicates by: the durable event's message ID. */
const MSG_ID_HEADER = 'Nats-Msg-Id';

/**
 * Runs `work`, the handling of one message, inside a span that continues the sender's trace
 * (its `traceparent`/`tracestate` headers; a new trace when they are absent or unreadable):
 * SERVER for an RPC, CONSUMER for an event. Every call and event the handler makes is a child.
 * The span fails with the wire code of the failure `work` resolves, if any.
 */
export function traceHandling(
  tracer: Tracer,
  route: NatsRoute,
  msg: Msg | JsMsg,
  correlationId: string,
  service: string,
  work: () => Promise<WireError | undefined>,
): Promise<WireError | undefined> {
  const parent = propagation.extract(ROOT_CONTEXT, msg.headers, natsTraceGetter);
  const attributes: Attributes = {
    ...messagingAttributes(msg.subject, MessagingOperation.process, 'process', correlationId),
    'messaging.message.body.size': msg.data.length,
    ...(route.queue !== undefined && { 'messaging.consumer.group.name': route.queue }),
    ...(route.subject !== msg.subject && { 'messaging.destination.template': route.subject }),
    ...(route.durable !== undefined && durableAttributes(msg as JsMsg, durableConsumerName(service, route.durable))),
  };
  // Named after the route, not the subject: a wildcard pattern keeps one span name.
  const span = tracer.startSpan(`process ${route.subject}`, { kind: route.kind === 'rpc' ? SpanKind.SERVER : SpanKind.CONSUMER, attributes }, parent);
  return runInSpan(span, parent, work, (failure) => failure);
}

function durableAttributes(msg: JsMsg, consumer: string): Attributes {
  // Whoever publishes chooses the ID: one longer than a trace header is left off the span.
  const id = boundedTraceValue(msg.headers?.get(MSG_ID_HEADER));
  return {
    'cliffracer.delivery_attempt': msg.info.deliveryCount,
    'messaging.consumer.group.name': consumer,
    ...(id && { 'messaging.message.id': id }),
  };
}
