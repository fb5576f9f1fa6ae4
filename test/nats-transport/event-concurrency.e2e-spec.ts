import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Event } from '@cliffracer/nats-transport';
import { createTestApp, ensureNats, type NatsEndpoint, type TestApp, uniquePrefix, waitUntil } from '@cliffracer/testing';
import { Controller, Injectable } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';

@Injectable()
class Tally {
  running = 0;
  peak = 0;
  readonly handled: number[] = [];
  /** While set, handlers wait for it instead of 40 ms: what is in flight then stays so. */
  gate?: Promise<void>;
}

@Controller()
class SlowEventsController {
  constructor(private readonly tally: Tally) {}

  @Event('work.events.queued')
  async onQueued(@Payload() event: { n: number }) {
    this.tally.running += 1;
    this.tally.peak = Math.max(this.tally.peak, this.tally.running);
    await (this.tally.gate ?? new Promise((resolve) => setTimeout(resolve, 40)));
    this.tally.running -= 1;
    this.tally.handled.push(event.n);
  }
}

describe('bounded event handling', () => {
  let nats: NatsEndpoint;
  let service: TestApp;
  let tally: Tally;

  beforeAll(async () => {
    nats = await ensureNats();
    service = await createTestApp({
      nats: { service: 'worker', servers: nats.url, subjectPrefix: uniquePrefix(), maxConcurrentEvents: 2 },
      controllers: [SlowEventsController],
      providers: [Tally],
      logger: false,
    });
    tally = service.app.get(Tally);
  });

  afterAll(async () => {
    await nats?.release();
  });

  it('handles no more events at once than maxConcurrentEvents, and handles every one', async () => {
    for (let n = 0; n < 6; n += 1) await service.client.emit('work.events.queued', { n });
    await waitUntil(() => tally.handled.length === 6);
    expect(tally.peak).toBe(2);
    expect(tally.handled.slice().sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('handles the events still waiting their turn before it shuts down', async () => {
    let open!: () => void;
    tally.gate = new Promise<void>((resolve) => (open = resolve));
    for (let n = 10; n < 16; n += 1) await service.client.emit('work.events.queued', { n });
    // Two running, four waiting their turn, however slowly the machine delivers them.
    await waitUntil(() => service.server.inFlight.size === 6, 10_000);
    expect(tally.running).toBe(2);
    const closing = service.close();
    open();
    await closing;
    expect(tally.handled.filter((n) => n >= 10)).toHaveLength(6);
  });
});
