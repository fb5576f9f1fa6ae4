import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Event } from '@cliffracer/nats-transport';
import { CapturingLogger, createTestApp, ensureNats, type NatsEndpoint, removeDurableStream, type TestApp, uniquePrefix, waitUntil } from '@cliffracer/testing';
import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { connect, type NatsConnection } from '@nats-io/transport-node';

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
  let nats: NatsEndpoint;
  let service: TestApp;
  let raw: NatsConnection;
  let prefix: string;
  const logger = new CapturingLogger();

  beforeAll(async () => {
    nats = await ensureNats();
    prefix = uniquePrefix();
    service = await createTestApp({ nats: { service: 'ledger', servers: nats.url, subjectPrefix: prefix }, controllers: [LedgerController], logger });
    raw = await connect({ servers: nats.url });
  });

  afterAll(async () => {
    await raw?.close();
    await service?.close();
    await removeDurableStream(nats.url, prefix);
    await nats?.release();
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
