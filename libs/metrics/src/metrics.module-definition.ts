import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { MetricsModuleOptions } from './interfaces/metrics-options.interface.js';

export const {
  ConfigurableModuleClass: MetricsConfigurableModule,
  MODULE_OPTIONS_TOKEN: METRICS_OPTIONS,
} = new ConfigurableModuleBuilder<MetricsModuleOptions>({ moduleName: 'Metrics' })
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();

/** The options with defaults applied, checked once at boot. */
export const NORMALIZED_METRICS_OPTIONS = 'cliffracer:metrics:normalized-options';
