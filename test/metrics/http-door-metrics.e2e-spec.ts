import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { AuthModule } from '@cliffracer/auth';
import { createHttpService, HttpFrontDoorModule } from '@cliffracer/http';
import { ServiceMetrics } from '@cliffracer/metrics';
import { NatsClient, NatsTransportModule, Rpc } from '@cliffracer/nats-transport';
import { ensureNats, type NatsEndpoint, uniquePrefix } from '@cliffracer/testing';
import { Controller, Get, Logger, Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Counter } from 'prom-client';
import { scrape, total } from './scrape.js';

const AUTH = { secret: 'metrics-http-secret-of-32-characters!!!', issuer: 'cliffracer-tests', audience: 'shop' };

@Controller('orders')
class OrdersHttpController {
  @Get()
  list() {
    return [];
  }

  @Rpc()
  count() {
    return 0;
  }
}

/** A service with the HTTP door: the transport's metrics and the auth failures on its /metrics too. */
describe('Metrics of a service with the HTTP door', () => {
  let nats: NatsEndpoint;
  let app: NestFastifyApplication;
  let base: string;

  beforeAll(async () => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    nats = await ensureNats();
    const subjectPrefix = uniquePrefix();
    const transport = { service: 'door', servers: nats.url, subjectPrefix };
    @Module({
      imports: [NatsTransportModule.forRoot(transport), HttpFrontDoorModule.forRoot({ service: 'door' }), AuthModule.forRoot(AUTH)],
      controllers: [OrdersHttpController],
    })
    class DoorModule {}
    app = await createHttpService(DoorModule, transport, { logger: false });
    await app.startAllMicroservices();
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });

  afterAll(async () => {
    await app?.close();
    await nats?.release();
    jest.restoreAllMocks();
  });

  it('counts the guard refusing an HTTP request and an RPC call, by transport', async () => {
    expect((await fetch(`${base}/orders`)).status).toBe(401);
    await expect(app.get(NatsClient).call('door', 'count')).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    const samples = await scrape(`${base}/metrics`);
    expect(total(samples, 'cliffracer_auth_failures_total', { service: 'door', transport: 'http', reason: 'no token' })).toBe(1);
    expect(total(samples, 'cliffracer_auth_failures_total', { service: 'door', transport: 'rpc', reason: 'no token' })).toBe(1);
    expect(total(samples, 'cliffracer_calls_total', { target: 'door.count', outcome: 'UNAUTHORIZED' })).toBe(1);
    expect(total(samples, 'cliffracer_http_requests_total', { route: '/orders', status: '401' })).toBe(1);
  });

  it('serves the metrics the app adds to ServiceMetrics', async () => {
    const metrics = app.get(ServiceMetrics);
    new Counter({ name: 'door_orders_listed_total', help: 'Orders listed', registers: [metrics.registry] }).inc(3);
    expect(total(await scrape(`${base}/metrics`), 'door_orders_listed_total', { service: 'door' })).toBe(3);
  });
});
