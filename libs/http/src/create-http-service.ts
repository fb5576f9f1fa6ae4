import { attachNatsServer, type NatsOptionsSource, NatsServer, type NatsTransportModuleOptions, resolveNatsOptions, resolvePayloadLimits } from '@cliffracer/nats-transport';
import type { DynamicModule, LoggerService, Type } from '@nestjs/common';
import { ModuleRef, NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { BoundedWsAdapter } from './bounded-ws.adapter.js';
import { setupHttpFrontDoor } from './setup-http-front-door.js';

/** How `createHttpService` builds the app. */
export interface HttpServiceOptions {
  /** Logger of the app. @default Nest's default logger */
  logger?: LoggerService | false;
  /**
   * Serve the app's `@WebSocketGateway`s over plain WebSocket (`ws`), each message at most
   * 1 MiB (a gateway's `maxPayload` overrides it) and held to the payload limits (`BoundedWsAdapter`).
   * @default false
   */
  websockets?: boolean;
  /**
   * Which proxies in front of the door to believe about the client's address (fastify's
   * `trustProxy`): their addresses or CIDR ranges (`'127.0.0.1,10.0.0.0/8'`, or `['loopback']`).
   * Believed, the address `X-Forwarded-For` names becomes `request.ip` (what rate limits count);
   * otherwise that header is ignored and `request.ip` is the socket's peer.
   * @default false: no proxy is believed
   */
  trustProxy?: boolean | string | string[];
  /**
   * Registers global pipes, guards, interceptors and filters. It runs before the NATS transport
   * is connected, because Nest builds the transport's handlers when it is connected: what is
   * registered later applies to HTTP only.
   */
  configure?: (app: NestFastifyApplication) => void;
}

/**
 * A NATS service with an HTTP front door: one Nest app on fastify whose `@Rpc` / `@Event`
 * handlers are served by a `NatsServer` (connected with `inheritAppConfig`, so global pipes,
 * guards, interceptors and filters apply to both), with the front door's correlation and
 * timing hooks installed. `module` must import `NatsTransportModule` and
 * `HttpFrontDoorModule`. The NATS options are given, or come from a factory run with the app's
 * providers (`{ inject: [ConfigService], useFactory }`), or, left out, are those of the app's
 * `NatsTransportModule`; options that cannot work fail here with `InvalidOptionsError`.
 * Then: `startAllMicroservices()`, `listen({ port, host })`.
 * Readiness (`/health/ready`) turns on once the transport listens; on `close()` it turns off
 * first, and NATS drains while HTTP still answers it.
 *
 * @example
 * const app = await createHttpService(OrdersModule.forRoot(config), config.nats, {
 *   logger: new CorrelationLogger(),
 *   configure: (app) => app.useGlobalPipes(new RpcValidationPipe()),
 * });
 * await app.startAllMicroservices();
 * await app.listen({ port: 8080, host: '0.0.0.0' });
 */
export async function createHttpService(
  module: Type | DynamicModule,
  nats?: NatsOptionsSource,
  options: HttpServiceOptions = {},
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter(options.trustProxy === undefined ? undefined : { trustProxy: options.trustProxy });
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, { logger: options.logger });
  const natsOptions = await resolveOrClose(app, nats);
  if (options.websockets) app.useWebSocketAdapter(new BoundedWsAdapter(app, resolvePayloadLimits('HttpService', natsOptions.payloadLimits)));
  options.configure?.(app);
  const server = new NatsServer(natsOptions);
  attachNatsServer(app, server);
  server.sharesAppConfig = true;
  app.connectMicroservice({ strategy: server }, { inheritAppConfig: true });
  // HTTP bodies meet the limits of the service's NATS bodies.
  setupHttpFrontDoor(app, { payloadLimits: natsOptions.payloadLimits });
  return app;
}

// The app is built but not started: closing it lets go of what its providers opened.
async function resolveOrClose(app: NestFastifyApplication, nats: NatsOptionsSource): Promise<NatsTransportModuleOptions> {
  // Through ModuleRef: a lookup the app itself fails would end the process (abortOnError).
  const moduleRef = app.get(ModuleRef);
  try {
    return resolveNatsOptions(nats, (token) => moduleRef.get(token, { strict: false }));
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
}
