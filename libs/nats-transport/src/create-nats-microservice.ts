import type { DynamicModule, INestApplicationContext, INestMicroservice, Type } from '@nestjs/common';
import type { NestApplicationContextOptions } from '@nestjs/common/interfaces/nest-application-context-options.interface.js';
import { ModuleRef, NestFactory } from '@nestjs/core';
import { type NatsOptionsSource, resolveNatsOptions } from './nats-options.source.js';
import { NatsServer } from './nats.server.js';
import { NatsServerRef } from './nats-server.ref.js';

/**
 * Creates a Nest microservice served by a `NatsServer`, and makes that server reachable to
 * providers through `NatsServerRef`. Its options are given, or come from a factory run with
 * the app's providers (`{ inject: [ConfigService], useFactory }`, Nest's own asynchronous
 * microservice options), or, when left out, are those of the app's `NatsTransportModule`.
 * Options that cannot work fail here with `InvalidOptionsError`. Call `listen()` on the result.
 *
 * @example
 * const app = await createNatsMicroservice(OrdersModule, { service: 'orders' }, { logger: new CorrelationLogger() });
 * // or: NatsTransportModule.forRootAsync({ imports: [ConfigModule], inject: [ConfigService], useFactory }) in OrdersModule, and
 * const app = await createNatsMicroservice(OrdersModule);
 * const guards = installProcessGuards(app);
 * await app.listen().catch((error) => guards.abortStart(error));
 */
export async function createNatsMicroservice(
  module: Type | DynamicModule,
  nats?: NatsOptionsSource,
  options: NestApplicationContextOptions = {},
): Promise<INestMicroservice> {
  let server: NatsServer | undefined;
  // Nest runs the factory once the app's providers exist, before it wires the handlers.
  const app = await NestFactory.createMicroservice(module, {
    ...options,
    inject: [ModuleRef],
    useFactory: (moduleRef: ModuleRef) => {
      server = new NatsServer(resolveNatsOptions(nats, (token) => moduleRef.get(token, { strict: false })));
      return { strategy: server };
    },
  });
  attachNatsServer(app, server!);
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
