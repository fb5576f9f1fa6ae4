import { afterEach, describe, expect, it } from '@jest/globals';
import { createHttpService, HttpFrontDoorModule } from '@cliffracer/http';
import { NatsClient, NatsServer, NatsServerRef, NatsTransportModule, Rpc } from '@cliffracer/nats-transport';
import { ensureNats, type NatsEndpoint, uniquePrefix } from '@cliffracer/testing';
import { type CanActivate, Controller, type INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { isCompiled, routesOf } from '../support/compiled-routes.js';

/** Says no to every message, and counts them. */
class DenyGuard implements CanActivate {
  asked = 0;

  canActivate(): boolean {
    this.asked++;
    return false;
  }
}

@Controller()
class HybridController {
  @Rpc()
  hello() {
    return 'hello';
  }
}

/**
 * A hybrid app's transport may have an `ApplicationConfig` of its own (`connectMicroservice`
 * without `inheritAppConfig`), with global enhancers the app's container does not list, or
 * without those it does: Nest's pipeline of its handlers is built from that config.
 */
describe('compiled handler pipelines in a hybrid HTTP app', () => {
  let nats: NatsEndpoint;
  let app: NestFastifyApplication | undefined;

  afterEach(async () => {
    await app?.close();
    await nats?.release();
  });

  async function start(connect: (app: NestFastifyApplication, server: NatsServer) => void): Promise<{ server: NatsServer; client: NatsClient }> {
    nats = await ensureNats();
    const options = { service: 'hybrid', servers: nats.url, subjectPrefix: uniquePrefix() };
    @Module({ imports: [NatsTransportModule.forRoot(options)], controllers: [HybridController] })
    class HybridModule {}
    app = await NestFactory.create<NestFastifyApplication>(HybridModule, new FastifyAdapter(), { logger: false });
    const server = new NatsServer(options);
    connect(app, server);
    await app.init();
    await app.startAllMicroservices();
    return { server, client: app.get(NatsClient) };
  }

  const compiled = (server: NatsServer) => routesOf(server).some(isCompiled);

  it("keeps Nest's pipeline when the transport's config is not the app's: the app's global guard does not apply to it", async () => {
    const guard = new DenyGuard();
    const { server, client } = await start((app, server) => {
      app.useGlobalGuards(guard);
      app.connectMicroservice({ strategy: server });
    });
    expect(compiled(server)).toBe(false);
    await expect(client.call('hybrid', 'hello')).resolves.toBe('hello');
    expect(guard.asked).toBe(0);
  });

  it("keeps Nest's pipeline when the transport's config is not the app's: its own global guard applies", async () => {
    const guard = new DenyGuard();
    const { server, client } = await start((app, server) => {
      const microservice: INestMicroservice = app.connectMicroservice({ strategy: server }, { deferInitialization: true });
      microservice.useGlobalGuards(guard);
    });
    expect(compiled(server)).toBe(false);
    // Without the app's RpcErrorFilter, Nest's own Forbidden reply reaches the caller as an internal error.
    await expect(client.call('hybrid', 'hello')).rejects.toMatchObject({ code: 'INTERNAL' });
    expect(guard.asked).toBe(1);
  });
});

describe('compiled handler pipelines in a hybrid app whose transport shares its config', () => {
  it('compiles them, and the app\'s global guard applies as in Nest\'s pipeline', async () => {
    const nats = await ensureNats();
    const options = { service: 'shared', servers: nats.url, subjectPrefix: uniquePrefix() };
    @Module({ imports: [NatsTransportModule.forRoot(options)], controllers: [HybridController] })
    class SharedModule {}
    const guard = new DenyGuard();
    const server = new NatsServer(options);
    const app = await NestFactory.create<NestFastifyApplication>(SharedModule, new FastifyAdapter(), { logger: false });
    try {
      app.useGlobalGuards(guard);
      server.sharesAppConfig = true;
      app.connectMicroservice({ strategy: server }, { inheritAppConfig: true });
      await app.init();
      await app.startAllMicroservices();
      expect(routesOf(server).every(isCompiled)).toBe(true);
      await expect(app.get(NatsClient).call('shared', 'hello')).rejects.toMatchObject({ message: 'Forbidden resource' });
      expect(guard.asked).toBe(1);
    } finally {
      await app.close();
      await nats.release();
    }
  });

  it('compiles the handlers of a service made by createHttpService, once its modules initialize', async () => {
    const nats = await ensureNats();
    const options = { service: 'door', servers: nats.url, subjectPrefix: uniquePrefix() };
    @Module({ imports: [NatsTransportModule.forRoot(options), HttpFrontDoorModule.forRoot({ service: 'door' })], controllers: [HybridController] })
    class DoorModule {}
    const app = await createHttpService(DoorModule, options, { logger: false });
    try {
      // The order services start in: the transport listens before the app's modules initialize.
      await app.startAllMicroservices();
      await app.listen({ port: 0, host: '127.0.0.1' });
      const server = app.get(NatsServerRef).get();
      const routes = routesOf(server);
      expect(routes.length).toBeGreaterThan(0);
      expect(routes.every(isCompiled)).toBe(true);
      await expect(app.get(NatsClient).call('door', 'hello')).resolves.toBe('hello');
    } finally {
      await app.close();
      await nats.release();
    }
  });
});

describe('compiled handler pipelines in a plain microservice', () => {
  it('compiles the handlers of an app made by NestFactory.createMicroservice (whose HTTP adapter is null)', async () => {
    const nats = await ensureNats();
    const options = { service: 'plain', servers: nats.url, subjectPrefix: uniquePrefix() };
    @Module({ imports: [NatsTransportModule.forRoot(options)], controllers: [HybridController] })
    class PlainModule {}
    const server = new NatsServer(options);
    let app: INestMicroservice | undefined;
    try {
      app = await NestFactory.createMicroservice(PlainModule, { strategy: server, logger: false });
      await app.listen();
      const routes = routesOf(server);
      expect(routes.length).toBeGreaterThan(0);
      expect(routes.every(isCompiled)).toBe(true);
      await expect(app.get(NatsClient).call('plain', 'hello')).resolves.toBe('hello');
    } finally {
      await app?.close();
      await nats.release();
    }
  });
});
