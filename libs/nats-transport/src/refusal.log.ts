import type { LoggerService } from '@nestjs/common';

interface Window {
  suppressed: number;
  timer: NodeJS.Timeout;
}

/**
 * Logs refused input at most once per interval and reason, then how many more were refused
 * meanwhile: a flood of bad messages costs a counter each, not a log line each, so it cannot
 * fill the disk or slow the valid requests beside it. Keep reasons few (a code and a route,
 * never a value from the message), as each holds a timer for its interval.
 */
export class RefusalLog {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly logger: LoggerService,
    private readonly intervalMs = 10_000,
  ) {}

  /** Logs `message` unless `reason` was logged within the interval; then only counts it. */
  warn(reason: string, message: string): void {
    const open = this.windows.get(reason);
    if (open !== undefined) {
      open.suppressed++;
      return;
    }
    this.logger.warn(message);
    const timer = setTimeout(() => this.close(reason), this.intervalMs);
    timer.unref();
    this.windows.set(reason, { suppressed: 0, timer });
  }

  /** Reports what each open interval suppressed and forgets them (at shutdown). */
  flush(): void {
    for (const reason of [...this.windows.keys()]) this.close(reason);
  }

  private close(reason: string): void {
    const window = this.windows.get(reason);
    if (window === undefined) return;
    clearTimeout(window.timer);
    this.windows.delete(reason);
    if (window.suppressed > 0) {
      this.logger.warn(`${window.suppressed} more refused in the last ${this.intervalMs}ms (${reason})`);
    }
  }
}
