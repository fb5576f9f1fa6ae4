import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { SecureRepositoryModuleOptions } from './interfaces/secure-repository-options.interface.js';

export const {
  ConfigurableModuleClass: SecureRepositoryConfigurableModule,
  MODULE_OPTIONS_TOKEN: SECURE_REPOSITORY_OPTIONS,
} = new ConfigurableModuleBuilder<SecureRepositoryModuleOptions>({ moduleName: 'SecureRepository' })
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();
