import { afterEach, describe, expect, it } from '@jest/globals';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { FaultReports } from './fault.reports.js';
import type { NatsRoute } from './nats-routes.js';
import { NATS_DEAD_LETTER_CHANNEL, NATS_REDELIVERY_CHANNEL, NATS_REFUSED_CHANNEL } from './nats-transport.diagnostics.js';

const core = { kind: 'event', subject: 'p1.audit.>', name: 'audit.>' } as NatsRoute;
const durable = { kind: 'event', subject: 'p1.ledger.events.entry', name: 'ledger.events.entry', durable: { name: 'entries' } } as unknown as NatsRoute;

describe('FaultReports', () => {
  const seen: Array<[string, unknown]> = [];
  const listeners = [NATS_REFUSED_CHANNEL, NATS_DEAD_LETTER_CHANNEL, NATS_REDELIVERY_CHANNEL].map((name) => {
    const listener = (message: unknown) => seen.push([name, message]);
    return { name, listener };
  });
  const listen = () => listeners.forEach(({ name, listener }) => subscribe(name, listener));

  afterEach(() => {
    listeners.forEach(({ name, listener }) => unsubscribe(name, listener));
    seen.length = 0;
  });

  it('names the handler pattern, never the subject a publisher chose', () => {
    listen();
    const reports = new FaultReports('audit');
    reports.refused(core, 'BAD_PAYLOAD');
    reports.deadLettered(core, 'INTERNAL');
    reports.deadLettered(durable, 'BAD_PAYLOAD');
    reports.redelivering(durable, 'INTERNAL', 1, 250);
    expect(seen).toEqual([
      [NATS_REFUSED_CHANNEL, { service: 'audit', kind: 'event', route: 'audit.>', code: 'BAD_PAYLOAD' }],
      [NATS_DEAD_LETTER_CHANNEL, { service: 'audit', route: 'audit.>', durable: false, code: 'INTERNAL' }],
      [NATS_DEAD_LETTER_CHANNEL, { service: 'audit', route: 'ledger.events.entry', durable: true, code: 'BAD_PAYLOAD' }],
      [NATS_REDELIVERY_CHANNEL, { service: 'audit', route: 'ledger.events.entry', code: 'INTERNAL', delivery: 1, delayMs: 250 }],
    ]);
  });

});
