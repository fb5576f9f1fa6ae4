import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Event } from '@cliffracer/nats-transport';
import { CapturingLogger, type TestApp, waitUntil } from '@cliffracer/testing';
import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { type NatsConnection } from '@nats-io/transport-node';
import { startServiceWithRaw } from '../support/service-with-raw.js';

@Controller()
class LedgerController {
  entries: unknown[] = [];

  @Event('ledger.events.entry', { durable: 'entry', maxDeliver: 2, backoffMs: [50] })
  entry(@Payload() body: unknown) {
    this.entries.push(body);
  }
}

const REFUSED = 500;

describe('A flood of refused durable events', () => {
  let service: TestApp;
  let raw: NatsConnection;
  let stop: (() => Promise<void>) | undefined;
  let prefix: string;
  const logger = new CapturingLogger();

  beforeAll(async () => {
    ({ service, raw, prefix, close: stop } = await startServiceWithRaw({ nats: { service: 'ledger' }, controllers: [LedgerController], logger, durable: true }));
  });

  afterAll(async () => {
    await stop?.();
  });

  it('dead-letters each one but logs one line for the burst, and handles the next valid event', async () => {
    const deadLetters = raw.subscribe(`${prefix}.cliffracer.dead-letter.ledger.events.entry`);
    await raw.flush();
    logger.lines.length = 0;
    for (let i = 0; i < REFUSED; i++) raw.publish(`${prefix}.ledger.events.entry`, '{"not json');
    await raw.flush();
    await waitUntil(() => deadLetters.getReceived() === REFUSED, 15_000);
    await service.client.emit('ledger.events.entry', { n: 1 }, { durable: true });
    await waitUntil(() => service.app.get(LedgerController).entries.length === 1, 5000);
    expect(logger.lines.length).toBeLessThanOrEqual(2);
  });
});
