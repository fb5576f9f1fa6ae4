import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { HttpFrontDoorModuleOptions } from './http-front-door.options.js';

export const {
  ConfigurableModuleClass: HttpFrontDoorConfigurableModule,
  MODULE_OPTIONS_TOKEN: HTTP_FRONT_DOOR_MODULE_OPTIONS,
} = new ConfigurableModuleBuilder<HttpFrontDoorModuleOptions>({ moduleName: 'HttpFrontDoor' })
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();
