import { boundedTraceValue, CORRELATION_ID_ATTRIBUTE, CorrelationContext, endSpan, failureOf, generateCorrelationId, type SpanFailure } from '@cliffracer/correlation';
import { context, propagation, ROOT_CONTEXT, SpanKind, type TextMapGetter, trace, type Tracer } from '@opentelemetry/api';
import { finalize, map, Observable, type Subscriber, type Subscription, tap } from 'rxjs';
import { HTTP_TRACER_NAME } from './http-tracing.js';

/** The instrumentation scope of the WebSocket door's spans: the HTTP door's, whose server they share. */
export const WS_TRACER_NAME = HTTP_TRACER_NAME;

/** A parsed WebSocket message: `{ event, data }`, and the trace fields beside them. */
export type WsEnvelope = Readonly<Record<string, unknown>>;

/**
 * Reads trace fields from a message's envelope (`traceparent`, `tracestate`, lower case as
 * the W3C propagator asks): a string within `TRACE_HEADER_LIMITS`, anything else ignored.
 */
const envelopeGetter: TextMapGetter<WsEnvelope> = {
  keys: (envelope) => Object.keys(envelope),
  get: (envelope, key) => {
    const value = envelope[key];
    return typeof value === 'string' ? boundedTraceValue(value) : undefined;
  },
};

/**
 * Runs the handling of one WebSocket message (`handle`, whose observable yields the replies)
 * in a SERVER span `WS <event>` continuing the trace its envelope names, a new one without a
 * valid `traceparent`; every NATS call and event of the handler is a child. Each reply that is
 * an object gets the span's `traceparent` (and `tracestate`), as an HTTP response does. The span
 * ends when the handling completes, or when the client goes away first. A message outside any
 * correlation context gets a correlation ID here, so the span and its calls name the same one.
 */
export function traceWsMessage(tracer: Tracer, envelope: WsEnvelope, event: string, handle: () => Observable<unknown>): Observable<unknown> {
  // Nest runs a handler's guards, pipes and interceptors when its observable is subscribed,
  // not when it is built: both happen inside the span (and the correlation context).
  return new Observable<unknown>((subscriber) => {
    const correlationId = CorrelationContext.currentId();
    const start = () => subscribeInSpan(tracer, envelope, event, handle, subscriber);
    return correlationId === undefined ? CorrelationContext.run(generateCorrelationId(), start) : start();
  });
}

function subscribeInSpan(tracer: Tracer, envelope: WsEnvelope, event: string, handle: () => Observable<unknown>, subscriber: Subscriber<unknown>): Subscription {
  const parent = propagation.extract(ROOT_CONTEXT, envelope, envelopeGetter);
  const attributes = { 'network.protocol.name': 'websocket', 'cliffracer.ws.event': event, [CORRELATION_ID_ATTRIBUTE]: CorrelationContext.currentId()! };
  const span = tracer.startSpan(`WS ${event}`, { kind: SpanKind.SERVER, attributes }, parent);
  const current = trace.setSpan(parent, span);
  const fields: Record<string, string> = {};
  propagation.inject(current, fields);
  let failure: SpanFailure | undefined;
  try {
    return context.with(current, () =>
      handle()
        .pipe(
          map((reply) => (reply !== null && typeof reply === 'object' && !Array.isArray(reply) ? { ...reply, ...fields } : reply)),
          tap({ error: (error: unknown) => (failure = failureOf(error)) }),
          finalize(() => endSpan(span, failure)),
        )
        .subscribe(subscriber),
    );
  } catch (error) {
    endSpan(span, failureOf(error));
    throw error;
  }
}
