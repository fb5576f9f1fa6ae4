import { boundedTraceValue, CORRELATION_ID_ATTRIBUTE, CorrelationContext, endSpan, SdkTracer } from '@cliffracer/correlation';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type Attributes, context, propagation, ROOT_CONTEXT, type Span, SpanKind, type TextMapGetter, type TextMapSetter, trace } from '@opentelemetry/api';
import type { IncomingHttpHeaders } from 'node:http';

/** The instrumentation scope of the HTTP door's spans. */
export const HTTP_TRACER_NAME = '@cliffracer/http';

/** Reads trace headers of a request; repeated or oversized ones are handled by `boundedTraceValue`. */
const requestGetter: TextMapGetter<IncomingHttpHeaders> = {
  keys: (headers) => Object.keys(headers),
  get: (headers, key) => boundedTraceValue(headers[key.toLowerCase()]),
};

/** Writes trace headers on a reply. */
const replySetter: TextMapSetter<{ header(name: string, value: string): unknown }> = {
  set: (reply, key, value) => void reply.header(key, value),
};

/**
 * Traces every HTTP request of a fastify app in a SERVER span named `<METHOD> <route>`
 * (OpenTelemetry HTTP conventions: method, route, path, status code; ERROR on a 5xx), which
 * continues the caller's trace from its `traceparent`/`tracestate` headers and is returned in
 * the response's `traceparent`, as the correlation ID is in `X-Correlation-ID`. The rest of
 * the request runs inside the span, so the NATS calls a route makes are its children.
 * Without an OpenTelemetry SDK registered, each request costs one lookup.
 * Install it after `useHttpCorrelation`, whose ID the span carries.
 */
export function useHttpTracing(app: NestFastifyApplication): void {
  const tracer = new SdkTracer(HTTP_TRACER_NAME);
  const spans = new WeakMap<object, Span>();
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', (request, reply, done) => {
    const active = tracer.current();
    if (active === undefined) return done();
    const parent = propagation.extract(ROOT_CONTEXT, request.headers, requestGetter);
    const route = request.routeOptions.url;
    const correlationId = CorrelationContext.currentId();
    const attributes: Attributes = {
      'http.request.method': request.method,
      'url.path': request.url.split('?', 1)[0],
      'url.scheme': request.protocol,
      ...(route !== undefined && { 'http.route': route }),
      ...(correlationId !== undefined && { [CORRELATION_ID_ATTRIBUTE]: correlationId }),
    };
    const span = active.startSpan(route === undefined ? request.method : `${request.method} ${route}`, { kind: SpanKind.SERVER, attributes }, parent);
    spans.set(request, span);
    const current = trace.setSpan(parent, span);
    propagation.inject(current, reply, replySetter);
    // The rest of the request's lifecycle runs inside the span.
    context.with(current, done);
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const span = spans.get(request);
    if (span !== undefined) {
      spans.delete(request);
      span.setAttribute('http.response.status_code', reply.statusCode);
      endSpan(span, reply.statusCode >= 500 ? { code: String(reply.statusCode) } : undefined);
    }
    done();
  });
  // A client gone before its request was read gets no response: its span ends here.
  fastify.addHook('onRequestAbort', (request, done) => {
    const span = spans.get(request);
    if (span !== undefined) {
      spans.delete(request);
      endSpan(span, { code: 'ABORTED' });
    }
    done();
  });
}
