import { CorrelationContext, generateCorrelationId, SdkTracer } from '@cliffracer/correlation';
import { channel } from 'node:diagnostics_channel';
import type { TimerMetadata, TimerRunReport } from './interfaces/timer-metadata.interface.js';
import { TIMER_RUN_CHANNEL } from './timers.constants.js';
import { TIMERS_TRACER_NAME, traceTimerRun } from './timer-run.trace.js';

const runChannel = channel(TIMER_RUN_CHANNEL);

/** What the loop calls after a failed run; the loop itself never throws. */
export type TimerFailureSink = (report: TimerRunReport) => void;

/**
 * The schedule of one timer. Start times sit on a fixed grid (start + k × interval), so
 * small delays of the event loop never add up; a run that overruns its slot is followed
 * at once by the next, and the grid restarts from there. Runs never overlap.
 */
export class TimerLoop {
  private handle?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = true;
  private readonly tracer = new SdkTracer(TIMERS_TRACER_NAME);

  constructor(
    readonly spec: TimerMetadata,
    private readonly task: () => unknown,
    private readonly onFailure: TimerFailureSink,
    private readonly service = '',
  ) {}

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const now = Date.now();
    if (this.spec.eager) this.fire(now);
    else this.scheduleAt(now + this.spec.intervalMs);
  }

  /** Stops scheduling and resolves once the current run, if any, has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.handle);
    this.handle = undefined;
    await this.running;
  }

  private scheduleAt(plannedAt: number): void {
    this.handle = setTimeout(() => this.fire(plannedAt), Math.max(0, plannedAt - Date.now()));
  }

  private fire(plannedAt: number): void {
    this.handle = undefined;
    this.running = this.runOnce().then(() => {
      this.running = undefined;
      if (this.stopped) return;
      const next = plannedAt + this.spec.intervalMs;
      const now = Date.now();
      if (next <= now) this.fire(now);
      else this.scheduleAt(next);
    });
  }

  private async runOnce(): Promise<void> {
    const correlationId = generateCorrelationId();
    const startedAt = Date.now();
    let failed = false;
    let error: unknown;
    try {
      const run = () => CorrelationContext.run(correlationId, async () => this.task());
      const tracer = this.tracer.current();
      await (tracer === undefined ? run() : traceTimerRun(tracer, this.spec, correlationId, run));
    } catch (failure) {
      failed = true;
      error = failure;
    }
    const durationMs = Date.now() - startedAt;
    const report: TimerRunReport = {
      service: this.service,
      name: this.spec.name,
      intervalMs: this.spec.intervalMs,
      correlationId,
      startedAt,
      durationMs,
      overran: durationMs > this.spec.intervalMs,
      ...(failed ? { failed, error } : { failed }),
    };
    if (failed) this.onFailure(report);
    if (runChannel.hasSubscribers) runChannel.publish(report);
  }
}
