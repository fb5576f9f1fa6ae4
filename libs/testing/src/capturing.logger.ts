import { ConsoleLogger } from '@nestjs/common';

/**
 * A Nest logger that keeps the warnings and errors an app logs, as text, and prints nothing:
 * for tests that count log lines (a flood must not make one each) or read what was logged.
 *
 * @example
 * const logger = new CapturingLogger();
 * const service = await createTestApp({ nats, controllers, logger });
 * expect(logger.lines).toHaveLength(1);
 */
export class CapturingLogger extends ConsoleLogger {
  /** Each warning and error, in order. */
  readonly lines: string[] = [];

  override warn(message: unknown, ...rest: unknown[]): void {
    this.lines.push([message, ...rest].map(String).join(' '));
  }

  override error(message: unknown, ...rest: unknown[]): void {
    this.lines.push([message, ...rest].map(String).join(' '));
  }

  override log(): void {}
}
