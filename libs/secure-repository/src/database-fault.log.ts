import { Logger } from '@nestjs/common';

/** One report per kind of fault and window, however many requests hit it. */
const DEFAULT_WINDOW_MS = 10_000;

/**
 * Logs database faults once per burst: the first of a kind is logged at once; those that
 * follow within the window are only counted, and the count goes into the next report. A
 * database that is down for a minute under load writes six lines, not one per request.
 */
export class DatabaseFaultLog {
  private readonly logger = new Logger('SecureRepository');
  private readonly windows = new Map<string, { openedAt: number; suppressed: number }>();

  constructor(
    private readonly windowMs = DEFAULT_WINDOW_MS,
    private readonly now: () => number = Date.now,
    private readonly level: 'error' | 'warn' = 'error',
  ) {}

  /** Logs the fault `key` (`message` gets how many went unreported since), or counts it. */
  report(key: string, message: (suppressed: number) => string): void {
    const now = this.now();
    const window = this.windows.get(key);
    if (window !== undefined && now - window.openedAt < this.windowMs) {
      window.suppressed += 1;
      return;
    }
    this.logger[this.level](message(window?.suppressed ?? 0));
    this.windows.set(key, { openedAt: now, suppressed: 0 });
  }
}
