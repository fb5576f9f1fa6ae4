import { Inject, Logger, Module, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import type { NormalizedTimersOptions, TimersModuleOptions } from './interfaces/timers-options.interface.js';
import { TimersExplorer } from './timers.explorer.js';
import { TimersMetadataAccessor } from './timers-metadata.accessor.js';
import { NORMALIZED_TIMERS_OPTIONS, TIMERS_OPTIONS, TimersConfigurableModule } from './timers.module-definition.js';
import { normalizeTimersOptions } from './timers.options.js';
import { TimersRegistry } from './timers.registry.js';

/**
 * Runs the `@Timer` methods of the application: discovered at init, started at bootstrap,
 * stopped at shutdown after the running handlers finish (up to `shutdownGraceMs`).
 *
 * @example
 * @Module({ imports: [TimersModule.forRoot()] })
 * export class OrdersModule {}
 */
@Module({
  imports: [DiscoveryModule],
  providers: [
    TimersMetadataAccessor,
    TimersExplorer,
    {
      provide: NORMALIZED_TIMERS_OPTIONS,
      inject: [TIMERS_OPTIONS],
      useFactory: (options: TimersModuleOptions) => normalizeTimersOptions(options),
    },
    {
      provide: TimersRegistry,
      inject: [NORMALIZED_TIMERS_OPTIONS],
      useFactory: (options: NormalizedTimersOptions) => new TimersRegistry(options.service, options.intervals),
    },
  ],
  exports: [TimersRegistry],
})
export class TimersModule extends TimersConfigurableModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Timers');

  constructor(
    @Inject(TimersRegistry) private readonly registry: TimersRegistry,
    @Inject(NORMALIZED_TIMERS_OPTIONS) private readonly options: NormalizedTimersOptions,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    if (!this.options.enabled) return;
    this.registry.startAll();
    const count = this.registry.list().length;
    if (count > 0) this.logger.log(`started ${count} timer(s)`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.registry.stopAll(this.options.shutdownGraceMs);
  }
}
