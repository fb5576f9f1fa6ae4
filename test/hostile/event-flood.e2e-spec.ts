import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Event, NATS_OVERLOAD_CHANNEL, type OverloadReport } from '@cliffracer/nats-transport';
import { CapturingLogger, type TestApp, waitUntil } from '@cliffracer/testing';
import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { type NatsConnection } from '@nats-io/transport-node';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { startServiceWithRaw } from '../support/service-with-raw.js';

/** A handler that holds every event until the test lets them go. */
@Controller()
class SlowController {
  started = 0;
  private release!: () => void;
  private readonly released = new Promise<void>((resolve) => (this.release = resolve));

  @Event('slow.events.tick')
  async tick(@Payload() _body: unknown) {
    this.started++;
    await this.released;
  }

  letGo(): void {
    this.release();
  }
}

const PUBLISHED = 1000;

// Before the queue was bounded, 200,000 events of 2 KB at a slow handler grew the process by 850 MB.
describe('A flood of events at a slow handler', () => {
  let service: TestApp;
  let raw: NatsConnection;
  let stop: (() => Promise<void>) | undefined;
  let prefix: string;
  const logger = new CapturingLogger();
  const overloads: OverloadReport[] = [];
  const onOverload = (report: unknown) => {
    if ((report as OverloadReport).service === 'slow') overloads.push(report as OverloadReport);
  };

  beforeAll(async () => {
    subscribe(NATS_OVERLOAD_CHANNEL, onOverload);
    ({ service, raw, prefix, close: stop } = await startServiceWithRaw({
      nats: { service: 'slow', maxConcurrentEvents: 2, maxQueuedEvents: 100, maxQueuedEventBytes: 1024 * 1024 },
      controllers: [SlowController],
      logger,
    }));
  });

  afterAll(async () => {
    unsubscribe(NATS_OVERLOAD_CHANNEL, onOverload);
    service?.app.get(SlowController).letGo();
    await stop?.();
  });

  it('queues up to maxQueuedEvents, dead-letters the rest as OVERLOADED with one log line, and handles those queued', async () => {
    const controller = service.app.get(SlowController);
    const deadLetters = raw.subscribe(`${prefix}.cliffracer.dead-letter.slow.events.tick`);
    await raw.flush();
    for (let i = 0; i < PUBLISHED; i++) raw.publish(`${prefix}.slow.events.tick`, JSON.stringify({ i }));
    await raw.flush();
    await waitUntil(() => deadLetters.getReceived() === PUBLISHED - 102, 5000);
    expect(service.server.inFlight.size).toBe(102);
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]).toContain('event refused: 100 events wait for a slot already (at most 100, 1048576 bytes)');
    expect(overloads).toHaveLength(PUBLISHED - 102);
    expect(overloads[0]).toEqual({ kind: 'event', service: 'slow', subject: 'slow.events.tick', route: 'slow.events.tick', scope: 'service', outcome: 'refused', running: 2, queued: 100 });
    controller.letGo();
    await waitUntil(() => controller.started === 102, 5000);
    await waitUntil(() => service.server.inFlight.size === 0, 5000);
  });
});
