import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import { CorrelationContext } from './correlation.context.js';

/** C0 and C1 control characters and DEL; stack traces keep their line feeds. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
const CONTROL_BUT_LF = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g;
const escaped = (c: string) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/**
 * The Nest console logger with the current correlation ID on every line:
 * `[OrdersController] [cid=3f2a…] order created` in text mode, a `correlationId` field in JSON mode.
 * Messages carry what callers sent (NATS subjects, which may hold ESC and BEL; field names; error
 * messages): in text mode their control characters are shown escaped (`\u001b`, `\n`), so none
 * can forge a log line or drive the terminal of whoever reads the log.
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

  protected override stringifyMessage(message: unknown, logLevel: LogLevel): string {
    const resolved = this.resolveMessage(message);
    return super.stringifyMessage(typeof resolved === 'string' ? resolved.replace(CONTROL, escaped) : resolved, logLevel);
  }

  protected override printStackTrace(stack: string): void {
    super.printStackTrace(typeof stack === 'string' ? stack.replace(CONTROL_BUT_LF, escaped) : stack);
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
