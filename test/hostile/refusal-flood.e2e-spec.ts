import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Event, Rpc } from '@cliffracer/nats-transport';
import { CapturingLogger, type TestApp, waitUntil } from '@cliffracer/testing';
import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { createInbox, type NatsConnection } from '@nats-io/transport-node';
import { startServiceWithRaw } from '../support/service-with-raw.js';

@Controller()
class CounterController {
  @Rpc() ping(@Payload() body: unknown) {
    return body;
  }
  @Event('flood.events.tick') tick() {}
}

async function timedPing(service: TestApp): Promise<number> {
  const startedAt = performance.now();
  await service.client.call('flood', 'ping', { n: 1 });
  return performance.now() - startedAt;
}

describe('A flood of refused messages', () => {
  let service: TestApp;
  let raw: NatsConnection;
  let stop: (() => Promise<void>) | undefined;
  let prefix: string;
  const logger = new CapturingLogger();

  beforeAll(async () => {
    ({ service, raw, prefix, close: stop } = await startServiceWithRaw({ nats: { service: 'flood' }, controllers: [CounterController], logger }));
  });

  afterAll(async () => {
    await stop?.();
  });

  it('logs each reason once per interval and keeps valid requests within 5x their usual time', async () => {
    for (let i = 0; i < 20; i++) await timedPing(service);
    // The usual time, measured as during the flood: one ping after a millisecond's pause.
    const usual = [];
    for (let i = 0; i < 21; i++) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      usual.push(await timedPing(service));
    }
    usual.sort((a, b) => a - b);
    const median = usual[10];

    logger.lines.length = 0;
    const inbox = createInbox();
    const replies = raw.subscribe(inbox);
    // 10,000 bad messages within one second (5,000 requests, 5,000 events), ten a millisecond,
    // and a valid request every 25 ms sent among them.
    const pings: Promise<number>[] = [];
    for (let ms = 0; ms < 1000; ms++) {
      for (let i = 0; i < 5; i++) {
        raw.publish(`${prefix}.flood.ping`, '{"not json', { reply: inbox });
        raw.publish(`${prefix}.flood.events.tick`, '{"not json');
      }
      if (ms % 25 === 12) pings.push(timedPing(service));
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await raw.flush();
    await waitUntil(() => replies.getReceived() === 5_000, 10_000);
    const during = (await Promise.all(pings)).sort((a, b) => a - b);

    // One line per reason (the request subject and the event subject), whatever the count.
    expect(logger.lines.length).toBeLessThanOrEqual(2);
    expect(during[Math.floor(during.length / 2)]).toBeLessThan(5 * median);
  });
});
