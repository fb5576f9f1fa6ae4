import { CorrelationContext, generateCorrelationId, runInSpan } from '@cliffracer/correlation';
import type { MsgHdrs } from '@nats-io/transport-node';
import { type Attributes, context, propagation, SpanKind, type Tracer } from '@opentelemetry/api';
import { MessagingOperation, messagingAttributes } from './messaging-attributes.js';
import { natsTraceSetter } from './nats-trace-carrier.js';

/** What is being sent: an RPC request or an event, and its subject (with the prefix). */
export interface Sending {
  readonly kind: 'call' | 'event';
  readonly subject: string;
  /** A durable event's JetStream message ID. */
  readonly messageId?: string;
}

/**
 * Runs `send` (one call or event) inside a span, a child of the active one: CLIENT for a
 * call, PRODUCER for an event. The message's headers carry the span (`injectTraceContext`),
 * so the handler's span is its child. A send from outside any request gets a correlation ID
 * here, so the span and the message name the same one.
 */
export function traceSending<T>(tracer: Tracer, sending: Sending, send: () => Promise<T>): Promise<T> {
  const correlationId = CorrelationContext.currentId();
  if (correlationId === undefined) return CorrelationContext.run(generateCorrelationId(), () => traceSending(tracer, sending, send));
  const { kind, subject, messageId } = sending;
  const attributes: Attributes = {
    ...messagingAttributes(subject, MessagingOperation.send, kind === 'call' ? 'request' : 'publish', correlationId),
    ...(messageId !== undefined && { 'messaging.message.id': messageId }),
  };
  const parent = context.active();
  const span = tracer.startSpan(`send ${subject}`, { kind: kind === 'call' ? SpanKind.CLIENT : SpanKind.PRODUCER, attributes }, parent);
  return runInSpan(span, parent, send);
}

/** Writes the active span's context into outgoing headers (`traceparent`, `tracestate`). */
export function injectTraceContext(headers: MsgHdrs): void {
  propagation.inject(context.active(), headers, natsTraceSetter);
}
