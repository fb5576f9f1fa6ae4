import type { DynamicModule, INestApplicationContext, INestMicroservice, Type } from '@nestjs/common';
import type { NestApplicationContextOptions } from '@nestjs/common/interfaces/nest-application-context-options.interface.js';
import { NestFactory } from '@nestjs/core';
import type { NatsTransportModuleOptions } from './interfaces/nats-transport-options.interface.js';
import { NatsServer } from './nats.server.js';
import { NatsServerRef } from './nats-server.ref.js';

/**
 * Creates a Nest microservice served by a `NatsServer` with these options, and makes that
 * server reachable to providers through `NatsServerRef`. Call `listen()` on the result.
 *
 * @example
 * const app = await createNatsMicroservice(OrdersModule, { service: 'orders' }, { logger: new CorrelationLogger() });
 * const guards = installProcessGuards(app);
 * await app.listen().catch((error) => guards.abortStart(error));
 */
export async function createNatsMicroservice(
  module: Type | DynamicModule,
  nats: NatsTransportModuleOptions,
  options: NestApplicationContextOptions = {},
): Promise<INestMicroservice> {
  const server = new NatsServer(nats);
  const app = await NestFactory.createMicroservice(module, { ...options, strategy: server });
  attachNatsServer(app, server);
  return app;
}

/** Attaches a server to the app's `NatsServerRef`, when the app imports `NatsTransportModule`. */
export function attachNatsServer(app: INestApplicationContext, server: NatsServer): void {
  try {
    app.get(NatsServerRef, { strict: false }).attach(server);
  } catch {
    // An app without NatsTransportModule has no ref to fill; nothing reads it then.
  }
}
