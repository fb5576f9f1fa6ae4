import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { NatsClient, TransportError } from '@cliffracer/nats-transport';
import { createTestApp, Ledger, NatsServerProcess, type TestApp, waitUntil } from '@cliffracer/testing';
import { setTimeout as sleep } from 'node:timers/promises';
import { drive } from './load.js';
import { RecordController } from './record.controller.js';

describe('fault: NATS killed and restarted under load', () => {
  let nats: NatsServerProcess;
  let service: TestApp;
  let caller: NatsClient;

  beforeAll(async () => {
    nats = await NatsServerProcess.start({ jetstream: false });
    service = await createTestApp({
      nats: { service: 'ledger', servers: nats.url, reconnectTimeWaitMs: 100 },
      controllers: [RecordController],
      logger: false,
    });
    caller = new NatsClient({ service: 'caller', servers: nats.url, reconnectTimeWaitMs: 100, requestTimeoutMs: 3000 });
  });

  afterAll(async () => {
    await caller?.close();
    await service?.close();
    await nats?.stop();
  });

  it('gives every request one typed outcome, fast, and runs no handler twice', async () => {
    // A reply lost with the connection is a TransportError; a call made after the caller is back
    // but before the service has subscribed again is NoRespondersError. Never a wait for the timeout.
    const ledger = new Ledger('nats-restart', { allowedErrors: ['TransportError', 'NoRespondersError'], fastErrorMs: 1000, effectOnOk: true });
    service.app.get(RecordController).effect = (id) => ledger.effect(id);

    const load = drive(ledger, { count: 2000, concurrency: 20, pauseMs: 15 }, (id) => caller.call('ledger', 'record', { id }));
    await waitUntil(() => ledger.settled >= 500, 10_000);
    let backAfterMs = 0;
    const killedAt = performance.now();
    caller.on('connected', () => (backAfterMs = Math.round(performance.now() - killedAt)));
    await nats.kill('SIGKILL');
    // What readiness asks of the transport: a PING round trip, refused at once while NATS is gone.
    const pingError = await service.server.ping(500).then(() => undefined, (error: Error) => error);
    const pingWhileDown = pingError?.name ?? 'answered';
    await sleep(500);
    await nats.restart();
    await load;
    ledger.note('caller_back_after_ms', backAfterMs);
    ledger.note('ping_while_down', pingWhileDown);

    const summary = ledger.report();
    expect(summary.violations).toEqual([]);
    expect(summary.errors.TransportError).toBeGreaterThan(0);
    expect(backAfterMs).toBeGreaterThan(0);
    expect(pingError).toBeInstanceOf(TransportError);
    expect(pingError?.message).toMatch(/^the NATS server could not be pinged: /);
    await expect(service.server.ping()).resolves.toBeUndefined();
    // The service and the caller came back: the last requests were answered.
    await expect(caller.call('ledger', 'record', { id: 'after' })).resolves.toBe('after');
  }, 30_000);
});
