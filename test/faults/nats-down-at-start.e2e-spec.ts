import { afterAll, describe, expect, it } from '@jest/globals';
import { NatsClient } from '@cliffracer/nats-transport';
import { createTestApp, freePort, Ledger, NatsServerProcess, waitUntil } from '@cliffracer/testing';
import { drive } from './load.js';
import { RecordController } from './record.controller.js';

describe('fault: NATS down when the service and its callers start', () => {
  const cleanup: Array<() => Promise<unknown>> = [];

  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
  });

  it('fails calls at once while NATS is down, and answers every one once it is up and the service subscribed', async () => {
    const port = await freePort();
    const url = `nats://127.0.0.1:${port}`;
    const ledger = new Ledger('nats-down-at-start', { allowedErrors: ['TransportError', 'NoRespondersError'], fastErrorMs: 500, effectOnOk: true });
    // Requests wait for the service, which answers the first of them as soon as it subscribes.
    RecordController.defaultEffect = (id) => ledger.effect(id);
    cleanup.push(async () => (RecordController.defaultEffect = () => undefined));
    // The service waits for NATS, retrying with a doubling delay; it is not started yet.
    const starting = createTestApp({
      nats: { service: 'ledger', servers: url, connectRetry: { initialDelayMs: 100, maxDelayMs: 400, maxWaitMs: 20_000 } },
      controllers: [RecordController],
      logger: false,
    });
    cleanup.push(() => starting.then((service) => service.close()).catch(() => undefined));
    const caller = new NatsClient({ service: 'caller', servers: url, requestTimeoutMs: 3000 });
    cleanup.push(() => caller.close());

    const load = drive(ledger, { count: 1500, concurrency: 10, pauseMs: 10 }, (id) => caller.call('ledger', 'record', { id }));
    await waitUntil(() => ledger.settled >= 300, 10_000);
    const nats = await NatsServerProcess.start({ port, jetstream: false });
    cleanup.push(() => nats.stop());
    await starting;
    const readyAfter = ledger.settled;
    await load;
    ledger.note('settled_before_ready', readyAfter);

    const summary = ledger.report();
    expect(summary.violations).toEqual([]);
    expect(summary.errors.TransportError).toBeGreaterThanOrEqual(300);
    expect(summary.ok).toBeGreaterThan(0);
  }, 30_000);
});
