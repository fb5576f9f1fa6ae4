import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { CorrelationContext } from '@cliffracer/correlation';
import { Event, NatsClient } from '@cliffracer/nats-transport';
import { createTestApp, ensureNats, type TestApp, uniquePrefix, waitUntil } from '@cliffracer/testing';
import { Timer, TimersModule } from '@cliffracer/timers';
import { Controller, Injectable, Logger } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';

@Injectable()
class Clock {
  readonly runs: string[] = [];
  constructor(private readonly client: NatsClient) {}

  @Timer(100, { eager: true })
  async tick(): Promise<void> {
    const correlationId = CorrelationContext.currentId()!;
    this.runs.push(correlationId);
    if (this.runs.length === 2) throw new Error('second tick fails');
    await this.client.emit('clock.events.tick', { n: this.runs.length });
  }
}

@Controller()
class TickListener {
  readonly ticks: Array<{ n: number; correlationId?: string }> = [];

  @Event('clock.events.tick')
  onTick(@Payload() tick: { n: number }): void {
    this.ticks.push({ n: tick.n, correlationId: CorrelationContext.currentId() });
  }
}

describe('a timer emitting events over NATS', () => {
  const apps: TestApp[] = [];
  let clock: Clock;
  let listener: TickListener;
  const errors: string[] = [];

  beforeAll(async () => {
    const nats = await ensureNats();
    const subjectPrefix = uniquePrefix();
    jest.spyOn(Logger.prototype, 'error').mockImplementation((message: unknown) => {
      errors.push(String(message));
    });
    const listenerApp = await createTestApp({ nats: { service: 'listener', servers: nats.url, subjectPrefix }, controllers: [TickListener], logger: false });
    apps.push(listenerApp);
    const clockApp = await createTestApp({
      nats: { service: 'clock', servers: nats.url, subjectPrefix },
      imports: [TimersModule.forRoot({})],
      providers: [Clock],
      logger: false,
    });
    apps.push(clockApp);
    clock = clockApp.app.get(Clock);
    listener = listenerApp.app.get(TickListener);
  });

  afterAll(async () => {
    for (const app of apps.reverse()) await app.close();
    jest.restoreAllMocks();
  });

  it('delivers each tick to the other service with the correlation ID of its run', async () => {
    await waitUntil(() => listener.ticks.length >= 3);
    const first = listener.ticks.find((t) => t.n === 1)!;
    expect(first.correlationId).toBe(clock.runs[0]);
    const third = listener.ticks.find((t) => t.n === 3)!;
    expect(third.correlationId).toBe(clock.runs[2]);
    expect(new Set(clock.runs).size).toBe(clock.runs.length);
  });

  it('logs the failing run with its correlation ID and keeps ticking', async () => {
    await waitUntil(() => listener.ticks.length >= 3);
    expect(listener.ticks.some((t) => t.n === 2)).toBe(false);
    expect(errors).toContainEqual(`timer Clock.tick failed [cid=${clock.runs[1]}]: Error: second tick fails`);
  });
});
