import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { NatsTransportModuleOptions } from './interfaces/nats-transport-options.interface.js';

export const {
  ConfigurableModuleClass: NatsTransportConfigurableModule,
  MODULE_OPTIONS_TOKEN: NATS_TRANSPORT_OPTIONS,
  OPTIONS_TYPE: NATS_TRANSPORT_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: NATS_TRANSPORT_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<NatsTransportModuleOptions>({ moduleName: 'NatsTransport' })
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();
