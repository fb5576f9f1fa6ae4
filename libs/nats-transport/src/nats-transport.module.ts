import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { NatsTransportModuleOptions } from './interfaces/nats-transport-options.interface.js';
import { NatsClient } from './nats.client.js';
import { NATS_TRANSPORT_OPTIONS, NatsTransportConfigurableModule } from './nats-transport.module-definition.js';
import { RpcErrorFilter } from './rpc-error.filter.js';
import { NatsServerRef } from './nats-server.ref.js';
import { HandlerPipelines } from './pipeline/handler-pipelines.js';

/**
 * Gives a service its injectable `NatsClient` and registers `RpcErrorFilter` globally,
 * so handler errors reach callers typed; compiles each handler's pipeline at boot
 * (`HandlerPipelines`). Global by default (`isGlobal: false` to scope it).
 *
 * @example
 * NatsTransportModule.forRoot({ service: 'orders', servers: 'nats://127.0.0.1:4222' })
 * NatsTransportModule.forRootAsync({ inject: [ConfigService], useFactory: (c) => ({ service: 'orders', servers: c.get('NATS_URL') }) })
 */
@Module({
  providers: [
    {
      provide: NatsClient,
      inject: [NATS_TRANSPORT_OPTIONS],
      useFactory: (options: NatsTransportModuleOptions) => new NatsClient(options),
    },
    { provide: APP_FILTER, useClass: RpcErrorFilter },
    { provide: NatsServerRef, useFactory: () => new NatsServerRef() },
    HandlerPipelines,
  ],
  exports: [NatsClient, NatsServerRef],
})
export class NatsTransportModule extends NatsTransportConfigurableModule implements OnApplicationShutdown {
  constructor(@Inject(NatsClient) private readonly client: NatsClient) {
    super();
  }

  // Runs after the transport server has finished its in-flight handlers, which may still call out.
  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }
}
