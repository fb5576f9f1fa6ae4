import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHttpService, HttpFrontDoorModule, type HttpFrontDoorModuleOptions } from '@cliffracer/http';
import { NatsClient, NatsServerRef, NatsTransportModule, Rpc } from '@cliffracer/nats-transport';
import { NatsServerProcess, uniquePrefix, waitUntil } from '@cliffracer/testing';
import { Controller, type DynamicModule, Injectable, Module, type OnModuleDestroy } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';

/** An RPC that holds its reply until the test lets it go: in-flight work that keeps shutdown going. */
@Controller()
class HeldController {
  private release!: () => void;
  readonly released = new Promise<void>((resolve) => (this.release = resolve));

  @Rpc()
  async hold(): Promise<string> {
    await this.released;
    return 'released';
  }

  letGo(): void {
    this.release();
  }
}

/** A provider of the app's own module, whose teardown (the first of `app.close()`'s hooks) a test can hold. */
@Injectable()
class HeldTeardown implements OnModuleDestroy {
  private held?: Promise<void>;
  private release?: () => void;
  started = false;

  hold(): void {
    this.held = new Promise<void>((resolve) => (this.release = resolve));
  }

  async onModuleDestroy(): Promise<void> {
    this.started = true;
    await this.held;
  }

  letGo(): void {
    this.release?.();
  }
}

@Module({})
class HealthTestModule {
  static forRoot(nats: { servers: string; subjectPrefix: string }, http: Partial<HttpFrontDoorModuleOptions> = {}): DynamicModule {
    return {
      module: HealthTestModule,
      imports: [
        NatsTransportModule.forRoot({ service: 'held', ...nats, reconnectTimeWaitMs: 100 }),
        HttpFrontDoorModule.forRoot({ service: 'held', instance: 'held-0', ...http }),
      ],
      controllers: [HeldController],
      providers: [HeldTeardown],
    };
  }
}

interface Answer {
  status: number;
  body: Record<string, any>;
}

async function get(base: string, path: string): Promise<Answer> {
  const response = await fetch(`${base}${path}`, { signal: AbortSignal.timeout(5000) });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

/** A service with the HTTP door and NATS in one app, as the shop runs it; started fully unless `listenNats` is false. */
async function startService(nats: NatsServerProcess, http: Partial<HttpFrontDoorModuleOptions> = {}, listenNats = true) {
  const subjectPrefix = uniquePrefix();
  const app = await createHttpService(HealthTestModule.forRoot({ servers: nats.url, subjectPrefix }, http), { service: 'held', servers: nats.url, subjectPrefix, reconnectTimeWaitMs: 100 }, { logger: false });
  if (listenNats) await app.startAllMicroservices();
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return { app, base, subjectPrefix };
}

describe('health: liveness and readiness', () => {
  let nats: NatsServerProcess;

  beforeAll(async () => {
    nats = await NatsServerProcess.start({ jetstream: false });
  });

  afterAll(async () => {
    await nats?.stop();
  });

  describe('with NATS up', () => {
    let app: NestFastifyApplication;
    let base: string;

    beforeAll(async () => {
      ({ app, base } = await startService(nats));
    });

    afterAll(async () => {
      await app?.close();
    });

    it('answers /health/ready 200 with terminus details of the NATS connection', async () => {
      const ready = await get(base, '/health/ready');
      expect(ready).toMatchObject({ status: 200, body: { status: 'ok', service: 'held', instance: 'held-0', details: { nats: { status: 'up' }, lifecycle: { status: 'up' } } } });
      expect(ready.body.details).not.toHaveProperty('database');
      // Readiness is asked through public load balancers: no address from inside the network.
      expect(JSON.stringify(ready.body)).not.toMatch(/127\.0\.0\.1|:\d{4,5}\b/);
    });

    it('answers /health/live and /health 200 with the service and instance', async () => {
      expect(await get(base, '/health/live')).toEqual({ status: 200, body: { status: 'ok', service: 'held', instance: 'held-0' } });
      expect(await get(base, '/health')).toEqual({ status: 200, body: { status: 'ok', service: 'held', instance: 'held-0' } });
    });

    it('answers /health/detailed 200 with the readiness checks and the service figures', async () => {
      const { status, body } = await get(base, '/health/detailed');
      expect(status).toBe(200);
      expect(body).toMatchObject({ status: 'ok', details: { nats: { status: 'up' }, service: { status: 'up', handlers: 1, uptimeSeconds: expect.any(Number) } } });
      expect(body.details.service.traffic).toMatchObject({ handled: expect.any(Number), ratePerSecond: expect.any(Number) });
    });
  });

  it('answers /health/ready 503 until the NATS transport listens, then 200', async () => {
    const { app, base } = await startService(nats, {}, false);
    try {
      expect(await get(base, '/health/ready')).toMatchObject({ status: 503, body: { status: 'error', details: { nats: { status: 'down' } } } });
      await app.startAllMicroservices();
      expect(await get(base, '/health/ready')).toMatchObject({ status: 200, body: { status: 'ok' } });
    } finally {
      await app.close();
    }
  });

  describe('when the NATS server dies and comes back', () => {
    let own: NatsServerProcess;
    let app: NestFastifyApplication;
    let base: string;

    beforeAll(async () => {
      own = await NatsServerProcess.start({ jetstream: false });
      ({ app, base } = await startService(own));
      expect((await get(base, '/health/ready')).status).toBe(200);
    });

    afterAll(async () => {
      await app?.close();
      await own?.stop();
    });

    it('turns ready 503 within two seconds of the kill, while live stays 200', async () => {
      await own.kill('SIGKILL');
      const killedAt = Date.now();
      await waitUntil(async () => (await get(base, '/health/ready')).status === 503, 2000, 50);
      expect(Date.now() - killedAt).toBeLessThan(2000);
      expect((await get(base, '/health/ready')).body).toMatchObject({ status: 'error', details: { nats: { status: 'down' } } });
      expect((await get(base, '/health/live')).status).toBe(200);
      expect((await get(base, '/health')).status).toBe(200);
      expect((await get(base, '/health/detailed')).status).toBe(503);
    });

    it('turns ready 200 again once the server is back', async () => {
      await own.restart();
      await waitUntil(async () => (await get(base, '/health/ready')).status === 200, 5000, 50);
      expect((await get(base, '/health/ready')).body).toMatchObject({ status: 'ok', details: { nats: { status: 'up' } } });
    });
  });

  describe('database check', () => {
    it('answers ready 503 within about a second when the database check hangs', async () => {
      const { app, base } = await startService(nats, { pingDatabase: () => new Promise<void>(() => undefined) });
      try {
        const startedAt = Date.now();
        const ready = await get(base, '/health/ready');
        expect(Date.now() - startedAt).toBeLessThan(1500);
        expect(ready).toMatchObject({ status: 503, body: { status: 'error', details: { database: { status: 'down', message: 'timeout of 1000ms exceeded' }, nats: { status: 'up' } } } });
      } finally {
        await app.close();
      }
    });

    it('answers ready 503 with the reason when the database check fails or answers false', async () => {
      let answer: () => Promise<void | boolean> = () => Promise.reject(new Error('connection refused'));
      const { app, base } = await startService(nats, { pingDatabase: () => answer(), databaseTimeoutMs: 300 });
      try {
        expect(await get(base, '/health/ready')).toMatchObject({ status: 503, body: { details: { database: { status: 'down', message: 'connection refused' } } } });
        answer = async () => false;
        expect(await get(base, '/health/ready')).toMatchObject({ status: 503, body: { details: { database: { status: 'down', message: 'the database did not answer its ping' } } } });
        expect((await get(base, '/health/detailed')).status).toBe(503);
        answer = async () => undefined;
        expect(await get(base, '/health/ready')).toMatchObject({ status: 200, body: { details: { database: { status: 'up' } } } });
      } finally {
        await app.close();
      }
    });
  });

  it('turns ready 503 as soon as shutdown begins, while in-flight work holds the NATS connection open', async () => {
    const { app, base, subjectPrefix } = await startService(nats);
    const caller = new NatsClient({ service: 'caller', servers: nats.url, subjectPrefix });
    try {
      const call = caller.call<string>('held', 'hold', {}, { timeoutMs: 20_000 });
      const server = app.get(NatsServerRef).get();
      await waitUntil(() => server.inFlight.size === 1);
      expect((await get(base, '/health/ready')).status).toBe(200);

      const closing = app.close();
      await waitUntil(async () => (await get(base, '/health/ready')).status === 503, 2000, 20);
      // The connection is still open, waiting for the held reply: readiness turned before the drain.
      expect(server.inFlight.size).toBe(1);
      expect((await get(base, '/health/live')).status).toBe(200);

      app.get(HeldController).letGo();
      await expect(call).resolves.toBe('released');
      await closing;
    } finally {
      await caller.close();
    }
  });

  it('turns ready 503 before the first module teardown of app.close() has finished', async () => {
    const { app, base } = await startService(nats);
    const teardown = app.get(HeldTeardown);
    teardown.hold();
    const closing = app.close();
    try {
      await waitUntil(() => teardown.started);
      // Nothing has stopped yet: NATS is connected, only the app's own teardown is running.
      expect(await get(base, '/health/ready')).toMatchObject({ status: 503, body: { details: { lifecycle: { status: 'down', message: 'the service is shutting down' }, nats: { status: 'up' } } } });
      expect((await get(base, '/health/live')).status).toBe(200);
    } finally {
      teardown.letGo();
      await closing;
    }
  });

  it('checks the NatsClient connection when no NATS transport is attached', async () => {
    const app = await NestFactory.create<NestFastifyApplication>(HealthTestModule.forRoot({ servers: nats.url, subjectPrefix: uniquePrefix() }), new FastifyAdapter(), { logger: false });
    try {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
      expect(await get(base, '/health/ready')).toMatchObject({ status: 200, body: { details: { nats: { status: 'up', via: 'client' } } } });
    } finally {
      await app.close();
    }
  });
});
