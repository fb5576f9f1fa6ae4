import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { durableStreamName, Event } from '@cliffracer/nats-transport';
import { createTestApp, EventRecorder, Ledger, NatsServerProcess, type TestApp, waitUntil } from '@cliffracer/testing';
import { Controller, Logger } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { setTimeout as sleep } from 'node:timers/promises';
import { consumerBacklog, drive, streamMessages } from './load.js';

const ACK_WAIT_MS = 1000;
const EVENTS = 3000;
const POISON = 'durable-poison-1313';

@Controller()
class EntriesController {
  deliveries = 0;
  handled: (id: string) => void = () => undefined;

  @Event('ledger.events.entry', { durable: 'entries', maxDeliver: 2, backoffMs: [50], ackWaitMs: ACK_WAIT_MS })
  entry(@Payload() entry: { id: string }): void {
    this.deliveries++;
    if (entry.id === POISON) throw new Error('poison');
    this.handled(entry.id);
  }
}

describe('fault: a poison durable event among thousands', () => {
  let nats: NatsServerProcess;
  let service: TestApp;
  let dead: EventRecorder<{ id: string }>;

  beforeAll(async () => {
    nats = await NatsServerProcess.start();
    service = await createTestApp({ nats: { service: 'ledger', servers: nats.url }, controllers: [EntriesController], logger: false });
    dead = await EventRecorder.start(nats.url, 'cliffracer.dead-letter.>');
  });

  afterAll(async () => {
    await dead?.close();
    await service?.close();
    await nats?.stop();
  });

  it('stores every event once, handles each other one once, dead-letters the poison once and leaves nothing pending', async () => {
    const errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const warnings = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    // The side effect of an event is its handling; the poison's is its one dead letter.
    const ledger = new Ledger('durable-poison', { allowedErrors: [], effectOnOk: true });
    const controller = service.app.get(EntriesController);
    controller.handled = (id) => ledger.effect(id);
    try {
      await drive(ledger, { count: EVENTS, concurrency: 50 }, (id) => service.client.emit('ledger.events.entry', { id }, { durable: true }));
      await dead.waitFor(1, 10_000);
      await waitUntil(() => controller.deliveries >= EVENTS + 1, 20_000);
      // Past two ack waits: a poison event the server did not take as terminated would be back.
      await sleep(2.5 * ACK_WAIT_MS);
    } finally {
      ledger.note('error_log_lines', errors.mock.calls.length);
      ledger.note('warn_log_lines', warnings.mock.calls.length);
      errors.mockRestore();
      warnings.mockRestore();
    }
    for (const letter of dead.events) ledger.effect(letter.payload.id);
    const stream = durableStreamName('', 'CLIFFRACER_EVENTS');
    ledger.pending(await consumerBacklog(nats.url, stream, 'ledger_entries'));
    const stored = await streamMessages(nats.url, stream);
    ledger.note('stored', stored);
    ledger.note('deliveries', controller.deliveries);
    ledger.note('dead_letters', dead.events.length);

    const summary = ledger.report();
    expect(summary.violations).toEqual([]);
    expect(dead.events.map((letter) => letter.payload.id)).toEqual([POISON]);
    expect(controller.deliveries).toBe(EVENTS + 1);
    // Each event stored once, and its dead letter beside it.
    expect(stored).toBe(EVENTS + 1);
  }, 60_000);
});
