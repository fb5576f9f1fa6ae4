import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CORRELATION_ID_ATTRIBUTE } from '@cliffracer/correlation';
import { createHttpService, HttpFrontDoorModule } from '@cliffracer/http';
import { NatsClient, NatsTransportModule, Rpc } from '@cliffracer/nats-transport';
import { createTestApp, ensureNats, type NatsEndpoint, type TestApp, uniquePrefix } from '@cliffracer/testing';
import { Controller, Get, Module, Param } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Payload } from '@nestjs/microservices';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { idOf, only, parentOf, startTraceRecording, type TraceRecording, traceOf } from './trace-recording.js';

const CALLER_TRACE = '0af7651916cd43dd8448eb211c80319c';
const CALLER_SPAN = 'b7ad6b7169203331';

@Controller()
class StockController {
  @Rpc()
  level(@Payload() query: { sku: string }) {
    return { sku: query.sku, level: 3 };
  }
}

@Controller('stock')
class StockHttpController {
  constructor(private readonly client: NatsClient) {}

  @Get(':sku')
  level(@Param('sku') sku: string) {
    return this.client.call('trstock', 'level', { sku });
  }

  @Get(':sku/broken')
  broken(): never {
    throw new Error('disk on fire');
  }
}

describe('OpenTelemetry tracing of HTTP routes', () => {
  let nats: NatsEndpoint;
  let prefix: string;
  let recording: TraceRecording;
  let stock: TestApp;
  let http: NestFastifyApplication;
  let base: string;

  beforeAll(async () => {
    recording = startTraceRecording();
    nats = await ensureNats();
    prefix = uniquePrefix();
    stock = await createTestApp({ nats: { service: 'trstock', servers: nats.url, subjectPrefix: prefix }, controllers: [StockController], logger: false });
    const options = { service: 'trgate', servers: nats.url, subjectPrefix: prefix };
    @Module({ imports: [NatsTransportModule.forRoot(options), HttpFrontDoorModule.forRoot({ service: 'trgate', instance: 'trgate-0' })], controllers: [StockHttpController] })
    class GateModule {}
    http = await createHttpService(GateModule, options, { logger: false });
    await http.startAllMicroservices();
    await http.listen({ port: 0, host: '127.0.0.1' });
    base = await http.getUrl();
  });

  afterAll(async () => {
    await http?.close();
    await stock?.close();
    await nats?.release();
    await recording?.stop();
  });

  it('continues the caller’s trace in the route’s span, with the NATS call under it, and returns it in traceparent', async () => {
    const response = await fetch(`${base}/stock/A-1`, { headers: { traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01`, 'x-correlation-id': 'http-trace-1' } });
    expect(await response.json()).toEqual({ sku: 'A-1', level: 3 });

    const spans = await recording.waitFor((all) => all.filter((span) => traceOf(span) === CALLER_TRACE).length === 3);
    const route = only(spans, 'GET /stock/:sku');
    const call = only(spans, `send ${prefix}.trstock.level`);
    const handled = only(spans, `process ${prefix}.trstock.level`);
    expect(route.kind).toBe(SpanKind.SERVER);
    expect(traceOf(route)).toBe(CALLER_TRACE);
    expect(parentOf(route)).toBe(CALLER_SPAN);
    expect(parentOf(call)).toBe(idOf(route));
    expect(parentOf(handled)).toBe(idOf(call));
    expect(route.attributes).toMatchObject({
      'http.request.method': 'GET',
      'http.route': '/stock/:sku',
      'url.path': '/stock/A-1',
      'http.response.status_code': 200,
      [CORRELATION_ID_ATTRIBUTE]: 'http-trace-1',
    });
    expect(handled.attributes[CORRELATION_ID_ATTRIBUTE]).toBe('http-trace-1');
    expect(response.headers.get('traceparent')).toBe(`00-${CALLER_TRACE}-${idOf(route)}-01`);
  });

  it('marks a route that answers 500 ERROR', async () => {
    const response = await fetch(`${base}/stock/A-1/broken`);
    expect(response.status).toBe(500);
    const spans = await recording.waitFor((all) => all.some((span) => span.name === 'GET /stock/:sku/broken'));
    const route = only(spans, 'GET /stock/:sku/broken');
    expect(route.status.code).toBe(SpanStatusCode.ERROR);
    expect(route.attributes).toMatchObject({ 'http.response.status_code': 500, 'error.type': '500' });
  });

  it('starts a new trace when traceparent is malformed, repeated or oversized, and answers as usual', async () => {
    const hostile: Array<Record<string, string>> = [
      { traceparent: 'not-a-traceparent' },
      { traceparent: `00-${'0'.repeat(32)}-${CALLER_SPAN}-01` },
      { traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01${'-x'.repeat(5000)}` },
      { traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01`, tracestate: `a=${'b'.repeat(8_000)}` },
    ];
    for (const headers of hostile) {
      const response = await fetch(`${base}/stock/B-2`, { headers });
      expect(response.status).toBe(200);
    }
    // Node joins a repeated header with ", ", which no traceparent parser accepts.
    const repeated = new Headers([['traceparent', `00-${CALLER_TRACE}-${CALLER_SPAN}-01`], ['traceparent', `00-${CALLER_TRACE}-${CALLER_SPAN}-01`]]);
    expect((await fetch(`${base}/stock/B-2`, { headers: repeated })).status).toBe(200);

    const spans = await recording.waitFor((all) => all.filter((span) => span.name === 'GET /stock/:sku' && span.attributes['url.path'] === '/stock/B-2').length === 5);
    const routes = spans.filter((span) => span.name === 'GET /stock/:sku' && span.attributes['url.path'] === '/stock/B-2');
    // The traceparent beside an oversized tracestate is still good: only the tracestate is dropped.
    const continued = routes.filter((span) => traceOf(span) === CALLER_TRACE);
    expect(continued).toHaveLength(1);
    expect(continued[0]!.spanContext().traceState).toBeUndefined();
    for (const span of routes.filter((s) => traceOf(s) !== CALLER_TRACE)) expect(parentOf(span)).toBeUndefined();
  });
});
