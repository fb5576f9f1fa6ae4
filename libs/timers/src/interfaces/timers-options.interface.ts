/** Options of `TimersModule`. */
export interface TimersModuleOptions {
  /**
   * Start the timers at bootstrap; `false` registers them without running them (tests, one-off scripts).
   * @default true
   */
  enabled?: boolean;
  /**
   * How long shutdown waits for running handlers to finish, in milliseconds.
   * @default 10000
   */
  shutdownGraceMs?: number;
  /**
   * Service name put on run reports, so observers of one process tell services apart.
   * @default ''
   */
  service?: string;
  /**
   * Interval per timer name, in milliseconds, replacing the one `@Timer` declares: the same code
   * sweeps every 30 s in production and every 200 ms in a test. A name no timer has is
   * reported at startup.
   * @default {}
   */
  intervals?: Record<string, number>;
}

/** Options after defaults are applied and checked. */
export type NormalizedTimersOptions = Required<TimersModuleOptions>;
