import { Inject, Logger, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DebugCategory } from './debug-logger.constants.js';
import { DEBUG_LOGGER_OPTIONS, DebugLoggerConfigurableModule } from './debug-logger.module-definition.js';
import { normalizeDebugLoggerOptions } from './debug-logger.options.js';
import { DebugInstrumentation } from './debug.instrumentation.js';
import { DebugLogger } from './debug.logger.js';
import type { DebugLoggerModuleOptions } from './interfaces/debug-logger-options.interface.js';

/**
 * The debug mode of a service: session files per category under `dir`, RPC, event, call and
 * timer timing, stress detection. Off unless `enabled` or `DEBUG_MODE=true`; global by default.
 *
 * @example
 * DebugLoggerModule.forRoot({ service: 'orders' })          // DEBUG_MODE / DEBUG_LOG_DIR decide
 * DebugLoggerModule.forRoot({ service: 'orders', enabled: true, dir: '/var/log/orders' })
 */
@Module({
  providers: [
    {
      provide: DebugLogger,
      inject: [DEBUG_LOGGER_OPTIONS],
      useFactory: (options: DebugLoggerModuleOptions) => new DebugLogger(normalizeDebugLoggerOptions(options)),
    },
  ],
  exports: [DebugLogger],
})
export class DebugLoggerModule extends DebugLoggerConfigurableModule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('DebugLogger');
  private readonly instrumentation: DebugInstrumentation;

  constructor(@Inject(DebugLogger) private readonly debug: DebugLogger) {
    super();
    this.instrumentation = new DebugInstrumentation(debug);
  }

  onApplicationBootstrap(): void {
    if (!this.debug.enabled) return;
    this.instrumentation.start();
    const { service, dir } = this.debug.options;
    this.debug.log(DebugCategory.SESSION, 'session.start', { pid: process.pid, node: process.version, dir });
    this.logger.log(`debug logs of ${service}: ${dir} (session ${this.debug.sessionId})`);
  }

  /**
   * Pauses or resumes the automatic timing of handlers, calls and timers at run time, without
   * a restart (from the backdoor, say); entries written by hand are not affected. Has no
   * effect when the debug mode is off.
   */
  setInstrumented(on: boolean): void {
    if (on) this.instrumentation.start();
    else this.instrumentation.stop();
  }

  /** Whether handlers, calls and timers are being timed now. */
  get instrumented(): boolean {
    return this.instrumentation.active;
  }

  async onApplicationShutdown(signal?: string): Promise<void> {
    if (!this.debug.enabled) return;
    this.instrumentation.stop();
    this.debug.log(DebugCategory.SESSION, 'session.end', { signal: signal ?? null, uptime_ms: this.debug.uptimeMs() });
    await this.debug.close();
  }
}
