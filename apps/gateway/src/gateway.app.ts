import type { AuthModuleOptions } from '@cliffracer/auth';
import { setupHttpFrontDoor } from '@cliffracer/http';
import { NatsServer, NatsServerRef, type NatsTransportModuleOptions, RpcValidationPipe } from '@cliffracer/nats-transport';
import type { LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { WsAdapter } from '@nestjs/platform-ws';
import { GatewayModule } from './gateway.module.js';

/**
 * The gateway as a hybrid app: fastify for HTTP, the NATS transport for its RPCs, one set of
 * guards, pipes and interceptors for both. Listening on `port` (0: a free one) on `host`.
 */
export async function createGatewayApp(nats: NatsTransportModuleOptions, auth: AuthModuleOptions, options: { logger?: LoggerService | false } = {}): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(GatewayModule.forRoot(nats, auth), new FastifyAdapter(), {
    logger: options.logger,
  });
  app.useWebSocketAdapter(new WsAdapter(app));
  const server = new NatsServer(nats);
  app.get(NatsServerRef).attach(server);
  app.connectMicroservice({ strategy: server }, { inheritAppConfig: true });
  app.useGlobalPipes(new RpcValidationPipe());
  setupHttpFrontDoor(app);
  return app;
}
