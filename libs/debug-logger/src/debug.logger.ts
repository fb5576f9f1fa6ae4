import { CorrelationContext } from '@cliffracer/correlation';
import { Logger } from '@nestjs/common';
import { CATEGORY_PATTERN, DebugCategory, type StressSeverity } from './debug-logger.constants.js';
import type { NormalizedDebugLoggerOptions } from './interfaces/debug-logger-options.interface.js';
import { JsonlWriter } from './jsonl.writer.js';
import { redact } from './redact.js';
import { sessionFile } from './session-files.js';

/** Level of an entry. */
export type DebugLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * Writes the debug log of a session: one JSON-lines file per category, every entry with
 * `session_id`, `timestamp`, `elapsed_seconds`, `correlation_id` (the current one unless
 * given), the service, `msg` and its fields, secrets redacted. Disabled, it does nothing.
 *
 * @example
 * debug.log('database', 'query', { operation: 'orders.find', duration_ms: 3.2 });
 * await debug.time('performance', 'pricing.recompute', () => this.recompute());
 */
export class DebugLogger {
  private readonly logger = new Logger('DebugLogger');
  private readonly writer?: JsonlWriter;
  private readonly startedAt = performance.now();

  constructor(readonly options: NormalizedDebugLoggerOptions) {
    if (!options.enabled) return;
    this.writer = new JsonlWriter(options.dir, options.sessionId, options.flushIntervalMs, (category, error) =>
      this.logger.error(`cannot write the ${category} debug log: ${error.message}`),
    );
  }

  get enabled(): boolean {
    return this.writer !== undefined;
  }

  get sessionId(): string {
    return this.options.sessionId;
  }

  /** The file of a category in this session. */
  fileOf(category: string): string {
    return sessionFile(this.options.dir, this.options.sessionId, category);
  }

  log(category: string, msg: string, fields: Record<string, unknown> = {}, level: DebugLevel = 'info'): void {
    this.write(category, msg, fields, level, true);
  }

  /**
   * For the framework's own timing entries, whose fields are known and hold no secrets:
   * skips the redaction walk, which is most of an entry's cost on a busy handler.
   */
  logTrusted(category: string, msg: string, fields: Record<string, unknown>, level: DebugLevel = 'info'): void {
    this.write(category, msg, fields, level, false);
  }

  private write(category: string, msg: string, fields: Record<string, unknown>, level: DebugLevel, redactFields: boolean): void {
    const writer = this.writer;
    if (writer === undefined) return;
    if (!CATEGORY_PATTERN.test(category)) {
      this.logger.warn(`debug log category ${JSON.stringify(category)} is not a lowercase name; written to errors`);
      category = DebugCategory.ERRORS;
    }
    const { correlationId, ...rest } = fields;
    const entry = {
      session_id: this.options.sessionId,
      timestamp: new Date().toISOString(),
      elapsed_seconds: Math.round((performance.now() - this.startedAt) * 1000) / 1e6,
      level,
      category,
      msg,
      service: this.options.service,
      correlation_id: (correlationId as string | undefined) ?? CorrelationContext.currentId() ?? null,
      ...(redactFields ? (redact(rest, this.options.redactFields) as Record<string, unknown>) : rest),
    };
    writer.write(category, JSON.stringify(entry));
  }

  /** An error with its context, in `errors`. */
  error(msg: string, error: unknown, fields: Record<string, unknown> = {}): void {
    if (!this.enabled) return;
    const e = error as Error | undefined;
    const detail = e instanceof Error ? { error: { name: e.name, message: e.message, code: (e as { code?: unknown }).code, stack: e.stack } } : { error: String(error) };
    this.log(DebugCategory.ERRORS, msg, { ...fields, ...detail }, 'error');
  }

  /** A stress situation, in `stress`. */
  stress(kind: string, severity: StressSeverity, fields: Record<string, unknown> = {}): void {
    this.log(DebugCategory.STRESS, kind, { ...fields, severity }, severity === 'critical' ? 'error' : 'warn');
  }

  /** Runs `fn`, then writes its duration and outcome under `category` as `operation`. */
  async time<T>(category: string, operation: string, fn: () => T | Promise<T>): Promise<T> {
    if (!this.enabled) return fn();
    const started = performance.now();
    try {
      const result = await fn();
      this.log(category, 'timed', { operation, duration_ms: round(performance.now() - started), success: true });
      return result;
    } catch (error) {
      const e = error as Error;
      this.log(category, 'timed', { operation, duration_ms: round(performance.now() - started), success: false, error: e?.name }, 'warn');
      throw error;
    }
  }

  /** Writes what is buffered; resolves when it is on disk. */
  async flush(): Promise<void> {
    await this.writer?.flush();
  }

  /** Milliseconds since the logger started. */
  uptimeMs(): number {
    return Math.round(performance.now() - this.startedAt);
  }
}

export function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
