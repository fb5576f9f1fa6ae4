import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Event } from '@cliffracer/nats-transport';
import { createTestApp, ensureNats, type NatsEndpoint, removeDurableStream, type TestApp, uniquePrefix, waitUntil } from '@cliffracer/testing';
import { Controller, Logger } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { EventDelivery } from '../../libs/nats-transport/src/event-delivery.js';

@Controller()
class EntriesController {
  handled: number[] = [];

  @Event('ledger.events.entry', { durable: 'handover', ackWaitMs: 1000 })
  entry(@Payload() entry: { n: number }): void {
    this.handled.push(entry.n);
  }
}

// Handing a durable message to its handler is not supposed to throw; if it ever does (a bug),
// the consumer must not stop: that one message waits for redelivery, the rest go on.
describe('a durable consumer whose hand-over of a message throws', () => {
  let nats: NatsEndpoint;
  let service: TestApp;
  let prefix: string;

  beforeAll(async () => {
    nats = await ensureNats();
    prefix = uniquePrefix();
    service = await createTestApp({ nats: { service: 'ledger', servers: nats.url, subjectPrefix: prefix }, controllers: [EntriesController] });
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    await service?.close();
    await removeDurableStream(nats.url, prefix);
    await nats?.release();
  });

  it('goes on with the next messages, logs it once, and gets the message again after its ack wait', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const delivery = jest.spyOn(EventDelivery.prototype, 'deliverDurable');
    delivery.mockImplementationOnce(() => {
      throw new Error('hand-over broke');
    });
    const controller = service.app.get(EntriesController);
    for (let n = 0; n < 5; n++) await service.client.emit('ledger.events.entry', { n }, { durable: true });
    await waitUntil(() => controller.handled.length >= 4, 5000);
    expect(controller.handled).toEqual([1, 2, 3, 4]);
    await waitUntil(() => controller.handled.length === 5, 5000);
    expect(controller.handled.at(-1)).toBe(0);
    const unhandled = warn.mock.calls.map(([message]) => String(message)).filter((message) => message.includes('could not be handled'));
    expect(unhandled).toEqual([`message on ${prefix}.ledger.events.entry could not be handled: hand-over broke`]);
  });
});
