import { Logger } from '@nestjs/common';

/** One report per kind of fault and window, however many requests hit it. */
const DEFAULT_WINDOW_MS = 10_000;

/** A kind of fault's current window: when it opened, and what it kept quiet since. */
interface FaultWindow {
  openedAt: number;
  suppressed: number;
  /** The last fault counted: written with the count if the window closes with no fault after it. */
  last?: (suppressed: number) => string;
  closing?: NodeJS.Timeout;
}

/**
 * Logs database faults once per burst: the first of a kind is logged at once; those that
 * follow within the window are only counted, and the count goes into the next report. A burst
 * that stops within its window is reported when the window closes (its last fault, with the
 * count of the others), so no count is lost. A database that is down for a minute under load
 * writes six lines, not one per request.
 */
export class DatabaseFaultLog {
  private readonly logger = new Logger('SecureRepository');
  private readonly windows = new Map<string, FaultWindow>();

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
      window.last = message;
      window.closing ??= this.closeLater(key, window, window.openedAt + this.windowMs - now);
      return;
    }
    clearTimeout(window?.closing);
    this.logger[this.level](message(window?.suppressed ?? 0));
    this.windows.set(key, { openedAt: now, suppressed: 0 });
  }

  // Unreferenced: a pending report never holds the process open.
  private closeLater(key: string, window: FaultWindow, delayMs: number): NodeJS.Timeout {
    const timer = setTimeout(() => {
      if (this.windows.get(key) !== window) return;
      this.windows.delete(key);
      this.logger[this.level](window.last!(window.suppressed - 1));
    }, delayMs);
    timer.unref();
    return timer;
  }
}
