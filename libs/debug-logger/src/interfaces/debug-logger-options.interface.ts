/** Options of `DebugLoggerModule`. */
export interface DebugLoggerModuleOptions {
  /**
   * Write debug logs. When off, nothing is subscribed and every call returns at once.
   * @default process.env.DEBUG_MODE === 'true'
   */
  enabled?: boolean;
  /**
   * Folder of the session files.
   * @default process.env.DEBUG_LOG_DIR ?? './debug_logs'
   */
  dir?: string;
  /**
   * Name of the service, written on every entry (services may share one folder).
   * @default 'service'
   */
  service?: string;
  /**
   * Session ID; files are `<session>_<category>.jsonl`.
   * @default the start time as YYYYMMDD_HHMMSS (UTC)
   */
  sessionId?: string;
  /**
   * How often buffered entries are written, in milliseconds.
   * @default 200
   */
  flushIntervalMs?: number;
  /**
   * A handler or call slower than this fraction of its timeout is a stress entry.
   * @default 0.5
   */
  slowRatio?: number;
  /**
   * Failures within `errorBurstWindowMs` that make an error-rate burst.
   * @default 10
   */
  errorBurstCount?: number;
  /**
   * Window of the error-rate burst check, in milliseconds.
   * @default 10000
   */
  errorBurstWindowMs?: number;
  /**
   * Further field names (case-insensitive substrings) whose values are redacted, beyond
   * password, secret, token, authorization, cookie, credential and api key.
   * @default []
   */
  redactFields?: string[];
  /**
   * Timing entries (`rpc.handled`, `rpc.call`, `event.handled`, `timer.run`) written per
   * second and category before the rest are sampled: above it, failed and slow ones are all
   * written and about this many of the others, evenly spread; each second that left entries
   * out ends in a `timings.sampled` entry (`skipped`, `written`, `window_ms`,
   * `skipped_mean_ms`, `skipped_max_ms`). `0` writes every entry.
   * @default 1000
   */
  timingsPerSecond?: number;
}

/** Options after defaults are applied and checked. */
export type NormalizedDebugLoggerOptions = Required<DebugLoggerModuleOptions>;
