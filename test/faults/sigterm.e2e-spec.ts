import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { NatsClient } from '@cliffracer/nats-transport';
import { Ledger, NatsServerProcess, uniquePrefix, waitUntil } from '@cliffracer/testing';
import { drive } from './load.js';
import { buildLedgerService, LedgerServiceProcess } from './service-process.js';

/** Each request keeps its handler busy this long, so a SIGTERM always finds some in flight. */
const WORK_MS = 100;

describe('fault: SIGTERM with requests in flight', () => {
  let nats: NatsServerProcess;
  const cleanup: Array<() => Promise<unknown>> = [];

  beforeAll(async () => {
    [nats] = await Promise.all([NatsServerProcess.start({ jetstream: false }), buildLedgerService()]);
  }, 120_000);

  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  afterAll(async () => {
    await nats?.stop();
  });

  async function start(count: number): Promise<{ services: LedgerServiceProcess[]; caller: NatsClient }> {
    const prefix = uniquePrefix();
    const services = await Promise.all(Array.from({ length: count }, (_, n) => LedgerServiceProcess.start({ NATS_URL: nats.url, NATS_SUBJECT_PREFIX: prefix, CLIFFRACER_INSTANCE: `ledger-${n}` })));
    for (const service of services) cleanup.push(() => service[Symbol.asyncDispose]());
    const caller = new NatsClient({ service: 'caller', servers: nats.url, subjectPrefix: prefix });
    cleanup.push(() => caller.close());
    return { services, caller };
  }

  it('on one instance: answers every request in flight, then callers get NoRespondersError at once; exits 0', async () => {
    const { services: [service], caller } = await start(1);
    const ledger = new Ledger('sigterm-one-instance', { allowedErrors: ['NoRespondersError'], fastErrorMs: 500, effectOnOk: true });

    const load = drive(ledger, { count: 1200, concurrency: 40 }, (id) => caller.call('ledger', 'record', { id, ms: WORK_MS }));
    await waitUntil(() => ledger.settled >= 400, 20_000);
    ledger.note('in_flight_at_sigterm', ledger.inFlight);
    service!.signal('SIGTERM');
    await load;
    const exit = await service!.exited;
    for (const id of service!.effects()) ledger.effect(id);
    ledger.note('exit_code', String(exit.code));

    const summary = ledger.report();
    expect(summary.violations).toEqual([]);
    expect(summary.errors.NoRespondersError).toBeGreaterThan(0);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(service!.lastLine()).toMatch(/shutdown complete$/);
  }, 60_000);

  it('on one of two instances: every request is answered, by one instance or the other, each handled once', async () => {
    const { services: [first, second], caller } = await start(2);
    const ledger = new Ledger('sigterm-two-instances', { allowedErrors: [], effectOnOk: true });

    const load = drive(ledger, { count: 1200, concurrency: 40 }, (id) => caller.call('ledger', 'record', { id, ms: WORK_MS }));
    await waitUntil(() => ledger.settled >= 400, 20_000);
    ledger.note('in_flight_at_sigterm', ledger.inFlight);
    first!.signal('SIGTERM');
    const exit = await first!.exited;
    await load;
    // The instance still running may not have written the log line of its last effects yet:
    // give its output a moment to arrive before the ledger counts them (a missing one still fails).
    const logged = () => first!.effects().length + second!.effects().length;
    await waitUntil(() => logged() >= ledger.summary().ok, 2000).catch(() => undefined);
    for (const service of [first!, second!]) for (const id of service.effects()) ledger.effect(id);
    ledger.note('handled_by_stopped', first!.effects().length);
    ledger.note('handled_by_other', second!.effects().length);

    const summary = ledger.report();
    expect(summary.violations).toEqual([]);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(first!.lastLine()).toMatch(/shutdown complete$/);
    expect(second!.running).toBe(true);
  }, 60_000);
});
