import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { durableStreamName, Event, NatsContext } from '@cliffracer/nats-transport';
import { createTestApp, Ledger, NatsServerProcess, type TestApp, waitUntil } from '@cliffracer/testing';
import { Controller, Logger } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { setTimeout as sleep } from 'node:timers/promises';
import { consumerBacklog, drive, streamMessages } from './load.js';

const ACK_WAIT_MS = 1000;

/**
 * Durable events are delivered at least once: an acknowledgement the server had not yet
 * written when it was killed is lost, and the event comes again. So the handler does its side
 * effect once per JetStream message ID, as a durable handler must; deliveries are counted raw.
 */
@Controller()
class EntriesController {
  handled: (id: string) => void = () => undefined;
  deliveries = 0;
  private readonly seen = new Set<string>();

  get distinct(): number {
    return this.seen.size;
  }

  @Event('ledger.events.entry', { durable: 'entries', ackWaitMs: ACK_WAIT_MS, backoffMs: [100] })
  entry(@Payload() entry: { id: string }, @Ctx() context: NatsContext): void {
    this.deliveries++;
    const messageId = context.getHeaders()?.get('Nats-Msg-Id');
    if (!messageId) throw new Error(`event ${entry.id} came without its message ID`);
    if (this.seen.has(messageId)) return;
    this.seen.add(messageId);
    this.handled(entry.id);
  }
}

describe('fault: NATS killed and restarted under a load of durable events', () => {
  let nats: NatsServerProcess;
  let service: TestApp;

  beforeAll(async () => {
    nats = await NatsServerProcess.start();
    service = await createTestApp({ nats: { service: 'ledger', servers: nats.url, reconnectTimeWaitMs: 100 }, controllers: [EntriesController], logger: false });
  });

  afterAll(async () => {
    await service?.close();
    await nats?.stop();
  });

  it('stores each event once (or tells the emitter it could not), handles each stored one, and leaves nothing pending', async () => {
    const logs = [jest.spyOn(Logger.prototype, 'error'), jest.spyOn(Logger.prototype, 'warn')].map((spy) => spy.mockImplementation(() => undefined));
    // An emit retries through the outage until its timeout; one that gives up says TransportError.
    const ledger = new Ledger('nats-restart-durable', { allowedErrors: ['TransportError'], effectOnOk: true });
    const controller = service.app.get(EntriesController);
    controller.handled = (id) => ledger.effect(id);
    try {
      const load = drive(ledger, { count: 2000, concurrency: 20, pauseMs: 10 }, (id) => service.client.emit('ledger.events.entry', { id }, { durable: true, timeoutMs: 3000 }));
      await waitUntil(() => ledger.settled >= 500, 10_000);
      await nats.kill('SIGKILL');
      await sleep(500);
      await nats.restart();
      await load;
      const stream = durableStreamName('', 'CLIFFRACER_EVENTS');
      // Every stored event handled and acknowledged (an ack lost with the server comes back after the ack wait).
      await waitUntil(async () => {
        const backlog = await consumerBacklog(nats.url, stream, 'ledger_entries');
        return backlog.numPending === 0 && backlog.numAckPending === 0;
      }, 15_000, 200);
      ledger.pending(await consumerBacklog(nats.url, stream, 'ledger_entries'));
      ledger.note('stored', await streamMessages(nats.url, stream));
      ledger.note('redelivered', controller.deliveries - controller.distinct);
    } finally {
      ledger.note('log_lines', logs.reduce((sum, spy) => sum + spy.mock.calls.length, 0));
      for (const spy of logs) spy.mockRestore();
    }

    const summary = ledger.report();
    expect(summary.violations).toEqual([]);
  }, 60_000);
});
