import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { BackdoorModuleOptions } from './interfaces/backdoor-options.interface.js';

export const {
  ConfigurableModuleClass: BackdoorConfigurableModule,
  MODULE_OPTIONS_TOKEN: BACKDOOR_OPTIONS,
} = new ConfigurableModuleBuilder<BackdoorModuleOptions>({ moduleName: 'Backdoor' })
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: false }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();
