import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEAD_LETTER_ERROR_HEADER, Event, ORIGINAL_SUBJECT_HEADER } from '@cliffracer/nats-transport';
import {
  createTestApp,
  ensureNats,
  EventRecorder,
  type NatsEndpoint,
  removeDurableStream,
  type TestApp,
  uniquePrefix,
  waitUntil,
} from '@cliffracer/testing';
import { Controller, Injectable } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { connect, type NatsConnection } from '@nats-io/transport-node';

/** Shared across app restarts: what the handlers saw. */
@Injectable()
class Seen {
  readonly flaky = new Map<string, number>();
  readonly poison: string[] = [];
  readonly shipped: number[] = [];
}

@Controller()
class ShippingController {
  constructor(private readonly seen: Seen) {}

  @Event('orders.events.paid', { durable: 'ship', backoffMs: [50] })
  ship(@Payload() order: { n: number }): void {
    this.seen.shipped.push(order.n);
  }

  @Event('orders.events.flaky', { durable: 'flaky', backoffMs: [50, 100] })
  flaky(@Payload() order: { id: string }): void {
    const calls = (this.seen.flaky.get(order.id) ?? 0) + 1;
    this.seen.flaky.set(order.id, calls);
    if (calls < 3) throw new Error(`attempt ${calls} fails`);
  }

  @Event('orders.events.poison', { durable: 'poison', maxDeliver: 3, backoffMs: [50] })
  poison(@Payload() order: { id: string }): void {
    this.seen.poison.push(order.id);
    throw new Error('cannot ever handle this');
  }
}

describe('NatsServer: durable events', () => {
  let nats: NatsEndpoint;
  let prefix: string;
  let publisher: NatsConnection;
  let app: TestApp | undefined;
  const seen = new Seen();

  const start = () =>
    createTestApp({
      nats: { service: 'shipping', servers: nats.url, subjectPrefix: prefix },
      controllers: [ShippingController],
      providers: [{ provide: Seen, useValue: seen }],
      logger: false,
    });
  const publish = (subject: string, payload: unknown) => publisher.publish(`${prefix}.${subject}`, JSON.stringify(payload));

  beforeAll(async () => {
    nats = await ensureNats();
    prefix = uniquePrefix();
    publisher = await connect({ servers: nats.url });
    app = await start();
  });

  afterAll(async () => {
    await app?.close();
    await publisher?.close();
    await removeDurableStream(nats.url, prefix);
    await nats?.release();
  });

  it('redelivers an event whose handler fails twice, so the third attempt succeeds and nothing is dead-lettered', async () => {
    const dead = await EventRecorder.start(nats.url, `${prefix}.cliffracer.dead-letter.orders.events.flaky`);
    publish('orders.events.flaky', { id: 'f-1' });
    await waitUntil(() => seen.flaky.get('f-1') === 3);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(seen.flaky.get('f-1')).toBe(3);
    expect(dead.events).toHaveLength(0);
    await dead.close();
  });

  it('sends an event that always fails to the dead-letter subject after maxDeliver attempts, with the error', async () => {
    const dead = await EventRecorder.start(nats.url, `${prefix}.cliffracer.dead-letter.>`);
    publish('orders.events.poison', { id: 'p-1' });
    const [letter] = await dead.waitFor(1);
    expect(seen.poison).toEqual(['p-1', 'p-1', 'p-1']);
    expect(letter.subject).toBe(`${prefix}.cliffracer.dead-letter.orders.events.poison`);
    expect(letter.payload).toEqual({ id: 'p-1' });
    expect(letter.headers[ORIGINAL_SUBJECT_HEADER]).toBe(`${prefix}.orders.events.poison`);
    expect(letter.headers[DEAD_LETTER_ERROR_HEADER]).toBe('InternalError: Internal server error');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(seen.poison).toHaveLength(3);
    await dead.close();
  });

  it('dead-letters a malformed durable event at once, without retrying it', async () => {
    const dead = await EventRecorder.start(nats.url, `${prefix}.cliffracer.dead-letter.orders.events.paid`);
    publisher.publish(`${prefix}.orders.events.paid`, '{not json');
    const [letter] = await dead.waitFor(1);
    expect(letter.text).toBe('{not json');
    expect(letter.headers[DEAD_LETTER_ERROR_HEADER]).toMatch(/^MalformedPayloadError: /);
    await dead.close();
  });

  it('delivers after a restart every event published while the service was stopped', async () => {
    await app!.close();
    app = undefined;
    for (let n = 1; n <= 20; n += 1) publish('orders.events.paid', { n });
    await publisher.flush();
    app = await start();
    await waitUntil(() => seen.shipped.length >= 20);
    expect([...seen.shipped].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });
});
