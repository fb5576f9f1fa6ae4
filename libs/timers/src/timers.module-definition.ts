import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { TimersModuleOptions } from './interfaces/timers-options.interface.js';

export const {
  ConfigurableModuleClass: TimersConfigurableModule,
  MODULE_OPTIONS_TOKEN: TIMERS_OPTIONS,
} = new ConfigurableModuleBuilder<TimersModuleOptions>({ moduleName: 'Timers' })
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createTimersOptions')
  .setExtras({ isGlobal: false }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();

/** The options with defaults applied, checked once at boot. */
export const NORMALIZED_TIMERS_OPTIONS = 'cliffracer:timers:normalized-options';
