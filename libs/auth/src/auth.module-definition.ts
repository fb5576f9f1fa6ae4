import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { AuthModuleOptions } from './interfaces/auth-options.interface.js';

export const { ConfigurableModuleClass: AuthConfigurableModule, MODULE_OPTIONS_TOKEN: AUTH_OPTIONS } = new ConfigurableModuleBuilder<AuthModuleOptions>({
  moduleName: 'Auth',
})
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();

/** The options with defaults applied, checked once at boot. */
export const NORMALIZED_AUTH_OPTIONS = 'cliffracer:auth:normalized-options';
