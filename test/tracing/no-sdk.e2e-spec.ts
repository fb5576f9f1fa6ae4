import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Event, NatsClient, Rpc } from '@cliffracer/nats-transport';
import { createTestApp, ensureNats, EventRecorder, type NatsEndpoint, removeDurableStream, type TestApp, uniquePrefix, waitUntil } from '@cliffracer/testing';
import { Timer, TimersModule } from '@cliffracer/timers';
import { Controller, Injectable } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { context, propagation, trace } from '@opentelemetry/api';

@Controller()
class PlainController {
  readonly events: string[] = [];

  @Rpc()
  ping(@Payload() body: { n: number }) {
    return body;
  }

  @Event('plain.events.core')
  core(): void {
    this.events.push('core');
  }

  @Event('plain.events.durable', { durable: 'durable' })
  durable(): void {
    this.events.push('durable');
  }
}

@Injectable()
class PlainTimer {
  runs = 0;
  constructor(private readonly client: NatsClient) {}

  @Timer('plain', 60_000, { eager: true })
  async run(): Promise<void> {
    await this.client.call('plain', 'ping', { n: 0 });
    this.runs += 1;
  }
}

describe('Tracing without an OpenTelemetry SDK', () => {
  let nats: NatsEndpoint;
  let prefix: string;
  let app: TestApp;
  let timerApp: TestApp;
  const spies = [
    jest.spyOn(propagation, 'extract'),
    jest.spyOn(propagation, 'inject'),
    jest.spyOn(context, 'with'),
    jest.spyOn(trace, 'setSpan'),
    jest.spyOn(trace.getTracerProvider(), 'getTracer'),
  ];

  beforeAll(async () => {
    nats = await ensureNats();
    prefix = uniquePrefix();
    app = await createTestApp({
      nats: { service: 'plain', servers: nats.url, subjectPrefix: prefix },
      controllers: [PlainController],
      logger: false,
    });
    // Its own service, started second: its eager run calls the first.
    timerApp = await createTestApp({
      nats: { service: 'plaintimer', servers: nats.url, subjectPrefix: prefix },
      imports: [TimersModule.forRoot({})],
      providers: [PlainTimer],
      logger: false,
    });
  });

  afterAll(async () => {
    await timerApp?.close();
    await app?.close();
    await removeDurableStream(nats.url, prefix);
    await nats?.release();
    jest.restoreAllMocks();
  });

  it('makes no span, reads no trace header and writes none, for calls, events, durable events and timer runs', async () => {
    const recorder = await EventRecorder.start(nats.url, `${prefix}.plain.>`);
    await waitUntil(() => timerApp.app.get(PlainTimer).runs === 1);
    expect(await app.client.call('plain', 'ping', { n: 1 })).toEqual({ n: 1 });
    await app.client.emit('plain.events.core', {});
    await app.client.emit('plain.events.durable', {}, { durable: true });
    const controller = app.app.get(PlainController);
    await waitUntil(() => controller.events.length === 2);

    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    expect(recorder.events.length).toBeGreaterThanOrEqual(3);
    for (const event of recorder.events) expect(Object.keys(event.headers).map((name) => name.toLowerCase())).not.toContain('traceparent');
    await recorder.close();
  });
});
