import { ConsoleLogger } from '@nestjs/common';
import { CorrelationContext } from './correlation.context.js';

/**
 * The Nest console logger with the current correlation ID on every line:
 * `[OrdersController] [cid=3f2a…] order created` in text mode, a `correlationId` field in JSON mode.
 *
 * @example
 * const app = await NestFactory.createMicroservice(AppModule, { strategy, logger: new CorrelationLogger() });
 */
export class CorrelationLogger extends ConsoleLogger {
  protected override formatContext(context: string): string {
    const id = CorrelationContext.currentId();
    const base = super.formatContext(context);
    return id === undefined ? base : `${base}${this.colorize(`[cid=${id}]`, 'verbose')} `;
  }

  protected override getJsonLogObject(
    message: unknown,
    options: Parameters<ConsoleLogger['getJsonLogObject']>[1],
  ): ReturnType<ConsoleLogger['getJsonLogObject']> {
    const record = super.getJsonLogObject(message, options);
    const id = CorrelationContext.currentId();
    return id === undefined ? record : { ...record, correlationId: id };
  }
}
