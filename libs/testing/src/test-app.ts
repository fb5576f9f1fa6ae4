import { attachNatsServer, NatsClient, NatsServer, NatsTransportModule, type NatsTransportModuleOptions } from '@cliffracer/nats-transport';
import type { DynamicModule, ForwardReference, LoggerService, Provider, Type } from '@nestjs/common';
import type { INestMicroservice } from '@nestjs/common';
import { Test } from '@nestjs/testing';

/** What a test service is made of. */
export interface TestAppOptions {
  /** Transport options; give every app of one test the same `servers` and `subjectPrefix`. */
  nats: NatsTransportModuleOptions;
  imports?: Array<Type | DynamicModule | Promise<DynamicModule> | ForwardReference>;
  controllers?: Type[];
  providers?: Provider[];
  /** Logger of the app. @default Nest's default logger */
  logger?: LoggerService | false;
  /** Runs before `listen()`: global pipes, guards, interceptors. */
  configure?: (app: INestMicroservice) => void;
}

/** A running test service. */
export interface TestApp {
  app: INestMicroservice;
  server: NatsServer;
  client: NatsClient;
  close(): Promise<void>;
}

/**
 * Starts a Nest microservice on the NATS transport with the given controllers, as a
 * service would run, and returns it with its client. `close()` shuts it down gracefully.
 */
export async function createTestApp(options: TestAppOptions): Promise<TestApp> {
  const moduleRef = await Test.createTestingModule({
    imports: [NatsTransportModule.forRoot(options.nats), ...(options.imports ?? [])],
    controllers: options.controllers ?? [],
    providers: options.providers ?? [],
  }).compile();
  const server = new NatsServer(options.nats);
  const app = moduleRef.createNestMicroservice({ strategy: server, logger: options.logger });
  attachNatsServer(app, server);
  options.configure?.(app);
  await app.listen();
  return { app, server, client: app.get(NatsClient), close: () => app.close() };
}
