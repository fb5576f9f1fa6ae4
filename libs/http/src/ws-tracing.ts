import { boundedTraceValue, CORRELATION_ID_ATTRIBUTE, CorrelationContext, endSpan, failureOf, generateCorrelationId, type SpanFailure } from '@cliffracer/correlation';
import { context, propagation, ROOT_CONTEXT, type Span, SpanKind, type TextMapGetter, trace, type Tracer } from '@opentelemetry/api';
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
  failedBy.set(span, (frameFailure) => (failure ??= frameFailure));
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

/** A frame of Nest's exception handling, as its WebSocket filter sends it to a native client. */
const EXCEPTION_FRAME = '{"event":"exception"';
const failedBy = new WeakMap<Span, (failure: SpanFailure) => void>();

/**
 * Marks the span of a message failed when Nest answers it with an exception frame. Nest hands
 * a failing guard, pipe or handler to its exception filter, which sends the frame and completes
 * the handling normally: the span would see no error. The frame is sent within the message's
 * context, so the active span is the message's.
 */
export function watchExceptionFrames(client: { send(data: unknown, ...rest: unknown[]): unknown }): void {
  const send = client.send;
  client.send = function (this: unknown, data: unknown, ...rest: unknown[]) {
    if (typeof data === 'string' && data.startsWith(EXCEPTION_FRAME)) {
      const span = trace.getActiveSpan();
      const fail = span === undefined ? undefined : failedBy.get(span);
      if (fail !== undefined) fail(exceptionOf(data));
    }
    return send.call(this, data, ...rest);
  };
}

// Only the frame is known: Nest's filter keeps the error; its message is what the client was told.
// A frame the app wrote itself may not parse: the span is still failed, without a message.
function exceptionOf(frame: string): SpanFailure {
  let message: unknown;
  try {
    message = (JSON.parse(frame) as { data?: { message?: unknown } }).data?.message;
  } catch {
    message = undefined;
  }
  return { code: 'WsException', ...(typeof message === 'string' && { message }) };
}
