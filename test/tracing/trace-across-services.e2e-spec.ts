import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CORRELATION_ID_ATTRIBUTE } from '@cliffracer/correlation';
import { Event, NatsClient, Rpc } from '@cliffracer/nats-transport';
import { createTestApp, ensureNats, EventRecorder, type NatsEndpoint, removeDurableStream, type TestApp, uniquePrefix } from '@cliffracer/testing';
import { Timer, TimersModule } from '@cliffracer/timers';
import { Controller, Injectable } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { idOf, only, parentOf, startTraceRecording, type TraceRecording, traceOf } from './trace-recording.js';

/** Service B: stock and the handlers of A's events. */
@Controller()
class StockController {
  readonly placed: string[] = [];
  readonly paid: string[] = [];

  @Rpc()
  reserve(@Payload() order: { id: string }) {
    if (order.id === 'broken') throw new Error('stock ledger unavailable');
    return { reserved: order.id };
  }

  @Event('tra.events.placed')
  onPlaced(@Payload() order: { id: string }): void {
    this.placed.push(order.id);
  }

  @Event('tra.events.paid', { durable: 'paid', maxDeliver: 2, backoffMs: [50] })
  onPaid(@Payload() order: { id: string }): void {
    if (order.id === 'poison') throw new Error('cannot ship');
    this.paid.push(order.id);
  }
}

/** Service A: places orders through B, and sweeps on a timer. */
@Controller()
class OrdersController {
  constructor(private readonly client: NatsClient) {}

  @Rpc()
  async place(@Payload() order: { id: string }) {
    const stock = await this.client.call('trb', 'reserve', order);
    await this.client.emit('tra.events.placed', order);
    await this.client.emit('tra.events.paid', order, { durable: true });
    return stock;
  }
}

@Injectable()
class Sweeper {
  constructor(private readonly client: NatsClient) {}

  @Timer('sweep', 60_000, { eager: true })
  async sweep(): Promise<void> {
    await this.client.call('trb', 'reserve', { id: 'swept' });
  }
}

describe('OpenTelemetry tracing across two services', () => {
  let nats: NatsEndpoint;
  let prefix: string;
  let recording: TraceRecording;
  let a: TestApp;
  let b: TestApp;

  const subject = (rest: string) => `${prefix}.${rest}`;
  const inTrace = (spans: ReadableSpan[], traceId: string) => spans.filter((span) => traceOf(span) === traceId);

  beforeAll(async () => {
    recording = startTraceRecording();
    nats = await ensureNats();
    prefix = uniquePrefix();
    b = await createTestApp({ nats: { service: 'trb', servers: nats.url, subjectPrefix: prefix }, controllers: [StockController], logger: false });
    a = await createTestApp({
      nats: { service: 'tra', servers: nats.url, subjectPrefix: prefix },
      imports: [TimersModule.forRoot({ service: 'tra' })],
      controllers: [OrdersController],
      providers: [Sweeper],
      logger: false,
    });
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await removeDurableStream(nats.url, prefix);
    await nats?.release();
    await recording?.stop();
  });

  it('puts an RPC, its nested call, a core event and a durable event in one trace, each span under its sender', async () => {
    const reply = await a.client.call('tra', 'place', { id: 'o1' });
    expect(reply).toEqual({ reserved: 'o1' });

    const edge = only(recording.spans(), `send ${subject('tra.place')}`);
    const spans = await recording.waitFor((all) => inTrace(all, traceOf(edge)).length === 8);
    const trace = inTrace(spans, traceOf(edge));
    const placeServer = only(trace, `process ${subject('tra.place')}`);
    const reserveClient = only(trace, `send ${subject('trb.reserve')}`);
    const reserveServer = only(trace, `process ${subject('trb.reserve')}`);
    const placedSend = only(trace, `send ${subject('tra.events.placed')}`);
    const placedProcess = only(trace, `process ${subject('tra.events.placed')}`);
    const paidSend = only(trace, `send ${subject('tra.events.paid')}`);
    const paidProcess = only(trace, `process ${subject('tra.events.paid')}`);

    expect(parentOf(edge)).toBeUndefined();
    expect(parentOf(placeServer)).toBe(idOf(edge));
    expect(parentOf(reserveClient)).toBe(idOf(placeServer));
    expect(parentOf(reserveServer)).toBe(idOf(reserveClient));
    expect(parentOf(placedSend)).toBe(idOf(placeServer));
    expect(parentOf(placedProcess)).toBe(idOf(placedSend));
    expect(parentOf(paidSend)).toBe(idOf(placeServer));
    expect(parentOf(paidProcess)).toBe(idOf(paidSend));
    expect([edge, placeServer, reserveClient, reserveServer, placedSend, placedProcess, paidSend, paidProcess].map((span) => span.kind)).toEqual([
      SpanKind.CLIENT,
      SpanKind.SERVER,
      SpanKind.CLIENT,
      SpanKind.SERVER,
      SpanKind.PRODUCER,
      SpanKind.CONSUMER,
      SpanKind.PRODUCER,
      SpanKind.CONSUMER,
    ]);
  });

  it('names the messaging system, destination, operation and correlation ID on every span', async () => {
    const traceId = await recording.inSpan('order o2', () => a.client.call('tra', 'place', { id: 'o2' }));
    const spans = await recording.waitFor((all) => inTrace(all, traceId).length === 9);
    const trace = inTrace(spans, traceId).filter((span) => span.name !== 'order o2');
    const edge = only(trace, `send ${subject('tra.place')}`);
    const correlationId = edge.attributes[CORRELATION_ID_ATTRIBUTE];
    for (const span of trace) {
      expect(span.attributes).toMatchObject({
        'messaging.system': 'nats',
        'messaging.message.conversation_id': correlationId,
        [CORRELATION_ID_ATTRIBUTE]: correlationId,
      });
    }
    expect(only(trace, `process ${subject('trb.reserve')}`).attributes).toMatchObject({
      'messaging.destination.name': subject('trb.reserve'),
      'messaging.operation.type': 'process',
      'messaging.consumer.group.name': 'trb',
    });
    expect(only(trace, `send ${subject('tra.events.placed')}`).attributes).toMatchObject({ 'messaging.operation.type': 'send', 'messaging.operation.name': 'publish' });
    const paidSend = only(trace, `send ${subject('tra.events.paid')}`);
    const paidProcess = only(trace, `process ${subject('tra.events.paid')}`);
    expect(paidSend.attributes['messaging.message.id']).toEqual(expect.any(String));
    expect(paidProcess.attributes).toMatchObject({
      'messaging.message.id': paidSend.attributes['messaging.message.id'],
      'messaging.consumer.group.name': 'trb_paid',
      'cliffracer.delivery_attempt': 1,
    });
  });

  it('starts a trace at each timer run, with the calls it makes under it', async () => {
    const run = only(recording.spans(), 'timer sweep');
    const spans = await recording.waitFor((all) => inTrace(all, traceOf(run)).length === 3);
    const trace = inTrace(spans, traceOf(run));
    const call = only(trace, `send ${subject('trb.reserve')}`);
    const handled = only(trace, `process ${subject('trb.reserve')}`);
    expect(parentOf(run)).toBeUndefined();
    expect(run.kind).toBe(SpanKind.INTERNAL);
    expect(run.attributes).toMatchObject({ 'cliffracer.timer.name': 'sweep', [CORRELATION_ID_ATTRIBUTE]: expect.any(String) });
    expect(parentOf(call)).toBe(idOf(run));
    expect(parentOf(handled)).toBe(idOf(call));
    expect(handled.attributes[CORRELATION_ID_ATTRIBUTE]).toBe(run.attributes[CORRELATION_ID_ATTRIBUTE]);
  });

  it('marks a failed call ERROR with the wire code on both sides', async () => {
    await expect(a.client.call('trb', 'reserve', { id: 'broken' })).rejects.toMatchObject({ code: 'INTERNAL' });
    const spans = await recording.waitFor((all) => all.some((span) => span.name === `send ${subject('trb.reserve')}` && span.status.code === SpanStatusCode.ERROR));
    const client = only(spans, `send ${subject('trb.reserve')}`, (span) => span.status.code === SpanStatusCode.ERROR);
    const server = only(spans, `process ${subject('trb.reserve')}`, (span) => parentOf(span) === idOf(client));
    for (const span of [client, server]) {
      expect(span.status.code).toBe(SpanStatusCode.ERROR);
      expect(span.attributes['error.type']).toBe('INTERNAL');
    }
    // Only caller-safe messages travel: the handler's own message stays in its log.
    expect(client.status.message).not.toContain('stock ledger');
  });

  it('traces each delivery of a durable event, the redelivery between them and its dead letter, in the publisher’s trace', async () => {
    const dead = await EventRecorder.start(nats.url, `${prefix}.cliffracer.dead-letter.>`);
    await a.client.emit('tra.events.paid', { id: 'poison' }, { durable: true });
    await dead.waitFor(1, 10_000);
    const send = only(recording.spans(), `send ${subject('tra.events.paid')}`, (span) => parentOf(span) === undefined);
    const spans = await recording.waitFor((all) => inTrace(all, traceOf(send)).length === 5);
    const trace = inTrace(spans, traceOf(send));
    const deliveries = trace.filter((span) => span.name === `process ${subject('tra.events.paid')}`).sort((x, y) => Number(x.attributes['cliffracer.delivery_attempt']) - Number(y.attributes['cliffracer.delivery_attempt']));
    expect(deliveries.map((span) => [span.attributes['cliffracer.delivery_attempt'], parentOf(span), span.status.code])).toEqual([
      [1, idOf(send), SpanStatusCode.ERROR],
      [2, idOf(send), SpanStatusCode.ERROR],
    ]);
    const nak = only(trace, `nak ${subject('tra.events.paid')}`);
    expect(parentOf(nak)).toBe(idOf(deliveries[0]!));
    expect(nak.attributes).toMatchObject({ 'messaging.operation.type': 'settle', 'cliffracer.redelivery_delay_ms': 50 });
    const deadLetter = only(trace, `send ${subject('cliffracer.dead-letter.tra.events.paid')}`);
    expect(parentOf(deadLetter)).toBe(idOf(deliveries[1]!));
    expect(deadLetter.kind).toBe(SpanKind.PRODUCER);
    expect(deadLetter.attributes).toMatchObject({ 'messaging.operation.name': 'dead_letter', 'cliffracer.error_code': 'INTERNAL' });
    // Whoever reads dead letters continues the trace from the dead letter's span.
    expect(dead.events[0]!.headers.traceparent).toBe(`00-${traceOf(send)}-${idOf(deadLetter)}-01`);
    await dead.close();
  });
});

