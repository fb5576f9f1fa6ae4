import { attachNatsServer, NatsServer, type NatsTransportModuleOptions, resolvePayloadLimits } from '@cliffracer/nats-transport';
import type { DynamicModule, LoggerService, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
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
 * `HttpFrontDoorModule`. Then: `startAllMicroservices()`, `listen({ port, host })`.
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
  nats: NatsTransportModuleOptions,
  options: HttpServiceOptions = {},
): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(module, new FastifyAdapter(), { logger: options.logger });
  if (options.websockets) app.useWebSocketAdapter(new BoundedWsAdapter(app, resolvePayloadLimits('HttpService', nats.payloadLimits)));
  options.configure?.(app);
  const server = new NatsServer(nats);
  attachNatsServer(app, server);
  app.connectMicroservice({ strategy: server }, { inheritAppConfig: true });
  // HTTP bodies meet the limits of the service's NATS bodies.
  setupHttpFrontDoor(app, { payloadLimits: nats.payloadLimits });
  return app;
}
