/** Options of `@Timer`. */
export interface TimerOptions {
  /**
   * Run once as soon as the application has started, then every interval.
   * @default false
   */
  eager?: boolean;
  /**
   * Name in logs and reports; unique within the application.
   * @default '<ClassName>.<method>'
   */
  name?: string;
}

/** What `@Timer` records on a method. */
export interface TimerMetadata {
  name: string;
  intervalMs: number;
  eager: boolean;
}

/** Published on `TIMER_RUN_CHANNEL` after each run. */
export interface TimerRunReport {
  /** The `service` option of the timers module; `''` when unset. */
  service: string;
  name: string;
  intervalMs: number;
  correlationId: string;
  /** Wall-clock start, milliseconds since the epoch. */
  startedAt: number;
  durationMs: number;
  /** The run took longer than the interval, so the next one starts late. */
  overran: boolean;
  failed: boolean;
  /** What the handler threw, when `failed`. */
  error?: unknown;
}
