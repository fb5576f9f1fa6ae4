import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Event } from '@cliffracer/nats-transport';
import { createTestApp, ensureNats, EventRecorder, type NatsEndpoint, removeDurableStream, type TestApp, uniquePrefix, waitUntil } from '@cliffracer/testing';
import { Controller, Logger } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { trace, type Tracer, type TracerProvider } from '@opentelemetry/api';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';

const ACK_WAIT_MS = 1000;

@Controller()
class EntriesController {
  once: number[] = [];
  never: number[] = [];

  @Event('ledger.events.once', { durable: 'once', ackWaitMs: ACK_WAIT_MS })
  onOnce(@Payload() entry: { n: number }): void {
    this.once.push(entry.n);
  }

  @Event('ledger.events.never', { durable: 'never', maxDeliver: 2, ackWaitMs: ACK_WAIT_MS })
  onNever(@Payload() entry: { n: number }): void {
    this.never.push(entry.n);
  }
}

/** An OpenTelemetry SDK whose tracer throws when `breaks` says so for a span name: a hand-over that throws. */
function brokenTracing(breaks: (spanName: string) => boolean): () => void {
  const real = new BasicTracerProvider();
  const provider: TracerProvider = {
    getTracer(name, version, options) {
      const tracer = real.getTracer(name, version, options);
      return {
        startSpan: (spanName, spanOptions, context) => {
          if (breaks(spanName)) throw new Error('tracer broke');
          return tracer.startSpan(spanName, spanOptions, context);
        },
        startActiveSpan: tracer.startActiveSpan.bind(tracer),
      } as Tracer;
    },
  };
  trace.setGlobalTracerProvider(provider);
  return () => trace.disable();
}

// Handing a durable message to its handler is not supposed to throw (a broken tracing SDK can
// make it): the consumer must go on, the message come back, and its last delivery be dead-lettered.
describe('a durable consumer whose hand-over of a message throws', () => {
  let nats: NatsEndpoint;
  let service: TestApp;
  let prefix: string;
  let untrace: () => void;
  let brokeOnce = false;

  beforeAll(async () => {
    nats = await ensureNats();
    prefix = uniquePrefix();
    service = await createTestApp({ nats: { service: 'ledger', servers: nats.url, subjectPrefix: prefix }, controllers: [EntriesController] });
    untrace = brokenTracing((name) => {
      if (name === `process ${prefix}.ledger.events.never`) return true;
      if (name !== `process ${prefix}.ledger.events.once` || brokeOnce) return false;
      brokeOnce = true;
      return true;
    });
  });

  afterAll(async () => {
    untrace?.();
    jest.restoreAllMocks();
    await service?.close();
    await removeDurableStream(nats.url, prefix);
    await nats?.release();
  });

  it('goes on with the next messages, gets the message again after its ack wait, and dead-letters its last delivery', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const dead = await EventRecorder.start(nats.url, `${prefix}.cliffracer.dead-letter.>`);
    const controller = service.app.get(EntriesController);
    for (let n = 0; n < 5; n++) await service.client.emit('ledger.events.once', { n }, { durable: true });
    await service.client.emit('ledger.events.never', { n: 99 }, { durable: true });

    await waitUntil(() => controller.once.length >= 4, 5000);
    expect(controller.once).toEqual([1, 2, 3, 4]);
    await waitUntil(() => controller.once.length === 5, 5000);
    expect(controller.once.at(-1)).toBe(0);

    const [letter] = await dead.waitFor(1, 3 * ACK_WAIT_MS + 2000);
    expect(letter!.subject).toBe(`${prefix}.cliffracer.dead-letter.ledger.events.never`);
    expect(controller.never).toEqual([]);
    const unhandled = warn.mock.calls.map(([message]) => String(message)).filter((message) => message.includes('could not be handled'));
    expect(unhandled).toEqual([
      `message on ${prefix}.ledger.events.once could not be handled: tracer broke`,
      `message on ${prefix}.ledger.events.never could not be handled: tracer broke`,
    ]);
    await dead.close();
  });
});
