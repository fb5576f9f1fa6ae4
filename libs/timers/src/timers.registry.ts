import { Logger } from '@nestjs/common';
import { DuplicateTimerError } from './errors/duplicate-timer.error.js';
import type { TimerMetadata, TimerRunReport } from './interfaces/timer-metadata.interface.js';
import { TimerLoop } from './timer.loop.js';
import { MESSAGES } from './timers.messages.js';

/** Every timer of the application, by name. */
export class TimersRegistry {
  private readonly logger = new Logger('Timers');
  private readonly loops = new Map<string, TimerLoop>();

  /**
   * @param service put on run reports (`TimersModuleOptions.service`)
   * @param intervals intervals by timer name that replace the declared ones
   */
  constructor(
    private readonly service = '',
    private readonly intervals: Readonly<Record<string, number>> = {},
  ) {}

  add(declared: TimerMetadata, task: () => unknown): void {
    if (this.loops.has(declared.name)) throw new DuplicateTimerError(declared.name);
    const spec = { ...declared, intervalMs: this.intervals[declared.name] ?? declared.intervalMs };
    this.loops.set(spec.name, new TimerLoop(spec, task, (report) => this.logFailure(report), this.service));
  }

  /** The registered timers and whether each is running a handler now. */
  list(): Array<TimerMetadata & { running: boolean }> {
    return [...this.loops.values()].map((loop) => ({ ...loop.spec, running: loop.isRunning }));
  }

  startAll(): void {
    for (const name of Object.keys(this.intervals)) if (!this.loops.has(name)) this.logger.warn(MESSAGES.unknownInterval(name));
    for (const loop of this.loops.values()) loop.start();
  }

  /** Stops every timer; resolves `false` if a handler is still running after `graceMs`. */
  async stopAll(graceMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const stopped = Promise.all([...this.loops.values()].map((loop) => loop.stop())).then(() => true);
    const late = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), graceMs);
    });
    const finished = await Promise.race([stopped, late]);
    clearTimeout(timer);
    if (!finished) {
      const busy = [...this.loops.values()].filter((loop) => loop.isRunning).map((loop) => loop.spec.name);
      this.logger.warn(MESSAGES.stillRunning(busy, graceMs));
    }
    return finished;
  }

  // The one place a failed run is logged: the loop reports, it does not log.
  private logFailure(report: TimerRunReport): void {
    const error = report.error as Error | undefined;
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(report.error);
    this.logger.error(MESSAGES.timerFailed(report.name, report.correlationId, reason), error?.stack);
  }
}
