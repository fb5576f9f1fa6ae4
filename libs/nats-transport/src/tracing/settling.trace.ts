import { CorrelationContext, endSpan, failureOf } from '@cliffracer/correlation';
import type { MsgHdrs } from '@nats-io/transport-node';
import { context, propagation, ROOT_CONTEXT, type Span, SpanKind, trace, type Tracer } from '@opentelemetry/api';
import type { WireError } from '../wire/wire-error.js';
import { MessagingOperation, messagingAttributes } from './messaging-attributes.js';
import { natsTraceGetter, natsTraceSetter } from './nats-trace-carrier.js';

/**
 * Records that a failed durable event goes back to JetStream for another delivery: a CLIENT
 * `settle` span (operation `nak`) under the span of the delivery that failed. The next
 * delivery's span is another child of the event's publish span.
 */
export function traceRedelivery(tracer: Tracer | undefined, subject: string, attempt: number, waitMs: number, failure: WireError): void {
  if (tracer === undefined) return;
  const attributes = {
    ...messagingAttributes(subject, MessagingOperation.settle, 'nak', CorrelationContext.currentId()),
    'cliffracer.delivery_attempt': attempt,
    'cliffracer.redelivery_delay_ms': waitMs,
    'cliffracer.error_code': failure.code,
  };
  tracer.startSpan(`nak ${subject}`, { kind: SpanKind.CLIENT, attributes }).end();
}

/**
 * Starts the PRODUCER span of a dead letter (operation `dead_letter`, `cliffracer.error_code` the
 * failure's code) and writes it into the dead letter's `headers`, in place of the event's own
 * trace headers, so whoever reads dead letters continues the trace from here. The parent is
 * the failed delivery's span, or, for an event refused before any handler, the trace the
 * event's headers carry (`eventHeaders`, none when they could not be read). End it with
 * `endDeadLetter`.
 */
export function startDeadLetter(tracer: Tracer | undefined, deadLetterSubject: string, failure: WireError, headers: MsgHdrs, eventHeaders: MsgHdrs | undefined): Span | undefined {
  if (tracer === undefined) return undefined;
  const active = context.active();
  const parent = trace.getSpan(active) !== undefined ? active : propagation.extract(ROOT_CONTEXT, eventHeaders, natsTraceGetter);
  const attributes = {
    ...messagingAttributes(deadLetterSubject, MessagingOperation.send, 'dead_letter', CorrelationContext.currentId()),
    'cliffracer.error_code': failure.code,
  };
  const span = tracer.startSpan(`send ${deadLetterSubject}`, { kind: SpanKind.PRODUCER, attributes }, parent);
  propagation.inject(trace.setSpan(parent, span), headers, natsTraceSetter);
  return span;
}

/** Ends a dead letter's span: failed when the dead letter could not be published. */
export function endDeadLetter(span: Span | undefined, error?: unknown): void {
  if (span !== undefined) endSpan(span, error === undefined ? undefined : failureOf(error));
}
