import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { DebugLoggerModuleOptions } from './interfaces/debug-logger-options.interface.js';

export const {
  ConfigurableModuleClass: DebugLoggerConfigurableModule,
  MODULE_OPTIONS_TOKEN: DEBUG_LOGGER_OPTIONS,
} = new ConfigurableModuleBuilder<DebugLoggerModuleOptions>({ moduleName: 'DebugLogger' })
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();
