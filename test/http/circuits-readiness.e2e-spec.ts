import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHttpService, HttpFrontDoorModule } from '@cliffracer/http';
import { CircuitOpenError, NatsClient, NatsTransportModule, NoRespondersError } from '@cliffracer/nats-transport';
import { ensureNats, type NatsEndpoint, uniquePrefix } from '@cliffracer/testing';
import { type DynamicModule, Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

@Module({})
class CallerModule {
  static forRoot(nats: { servers: string; subjectPrefix: string }): DynamicModule {
    return {
      module: CallerModule,
      imports: [
        NatsTransportModule.forRoot({ service: 'circuits', ...nats, circuitBreaker: { failureThreshold: 2, halfOpenAfterMs: 60_000 } }),
        HttpFrontDoorModule.forRoot({ service: 'circuits' }),
      ],
    };
  }
}

describe('readiness with circuit breakers', () => {
  let nats: NatsEndpoint;
  let app: NestFastifyApplication;
  let base: string;

  beforeAll(async () => {
    nats = await ensureNats();
    const subjectPrefix = uniquePrefix();
    app = await createHttpService(CallerModule.forRoot({ servers: nats.url, subjectPrefix }), { service: 'circuits', servers: nats.url, subjectPrefix }, { logger: false });
    await app.startAllMicroservices();
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });

  afterAll(async () => {
    await app?.close();
    await nats?.release();
  });

  it('lists an open circuit to a dependency and stays ready', async () => {
    const client = app.get(NatsClient);
    for (let i = 0; i < 2; i++) await expect(client.call('gone', 'ping')).rejects.toBeInstanceOf(NoRespondersError);
    await expect(client.call('gone', 'ping')).rejects.toBeInstanceOf(CircuitOpenError);
    const response = await fetch(`${base}/health/ready`, { signal: AbortSignal.timeout(5000) });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', details: { circuits: { status: 'up', open: ['gone'], halfOpen: [] } } });
  });
});
