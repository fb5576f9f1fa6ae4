import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { durableStreamName, Event } from '@cliffracer/nats-transport';
import { createTestApp, ensureNats, EventRecorder, type NatsEndpoint, removeDurableStream, type TestApp, uniquePrefix, waitUntil } from '@cliffracer/testing';
import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { setTimeout as sleep } from 'node:timers/promises';

const ACK_WAIT_MS = 1000;

@Controller()
class PoisonController {
  deliveries = 0;
  handled: number[] = [];

  @Event('ledger.events.entry', { durable: 'entries', maxDeliver: 2, backoffMs: [50], ackWaitMs: ACK_WAIT_MS })
  entry(@Payload() entry: { n: number }): void {
    this.deliveries++;
    if (entry.n === 13) throw new Error('poison');
    this.handled.push(entry.n);
  }
}

describe('A poison durable event among many', () => {
  let nats: NatsEndpoint;
  let service: TestApp;
  let prefix: string;
  let nc: NatsConnection;

  beforeAll(async () => {
    nats = await ensureNats();
    prefix = uniquePrefix();
    service = await createTestApp({ nats: { service: 'ledger', servers: nats.url, subjectPrefix: prefix }, controllers: [PoisonController], logger: false });
    nc = await connect({ servers: nats.url });
  });

  afterAll(async () => {
    await nc?.close();
    await service?.close();
    await removeDurableStream(nats.url, prefix);
    await nats?.release();
  });

  it('is dead-lettered exactly once, never redelivered, and leaves nothing pending', async () => {
    const controller = service.app.get(PoisonController);
    const dead = await EventRecorder.start(nats.url, `${prefix}.cliffracer.dead-letter.>`);
    for (let batch = 0; batch < 20; batch++) {
      await Promise.all(Array.from({ length: 100 }, (_, i) => service.client.emit('ledger.events.entry', { n: batch * 100 + i }, { durable: true })));
    }
    await dead.waitFor(1, 10_000);
    const jsm = await jetstreamManager(nc);
    const consumer = () => jsm.consumers.info(durableStreamName(`${prefix}.`, 'CLIFFRACER_EVENTS'), 'ledger_entries');
    await waitUntil(() => controller.handled.length === 1999, 20_000).catch(async (error: Error) => {
      // A stall says where the missing events are: never delivered, unacknowledged, or dead-lettered.
      const { num_pending, num_ack_pending, num_redelivered, delivered } = await consumer();
      const state = { handled: controller.handled.length, deliveries: controller.deliveries, deadLetters: dead.events.length, num_pending, num_ack_pending, num_redelivered, delivered };
      throw new Error(`${error.message}: ${JSON.stringify(state)}`);
    });
    // Past two ack waits: a poison event that the server did not take as terminated would be back.
    await sleep(2.5 * ACK_WAIT_MS);
    expect(dead.events).toHaveLength(1);
    expect(controller.deliveries).toBe(1999 + 2);
    const info = await consumer();
    expect(info.num_ack_pending).toBe(0);
    expect(info.num_pending).toBe(0);
    await dead.close();
  });
});
