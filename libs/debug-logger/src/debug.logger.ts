import { CorrelationContext } from '@cliffracer/correlation';
import { Logger } from '@nestjs/common';
import { CATEGORY_PATTERN, DebugCategory, type StressSeverity } from './debug-logger.constants.js';
import type { NormalizedDebugLoggerOptions } from './interfaces/debug-logger-options.interface.js';
import { EntryEncoder, type TimingEntry } from './entry.encoder.js';
import { JsonlWriter } from './jsonl.writer.js';
import { LineBuffer } from './line.buffer.js';
import { TimingQueue } from './timing.queue.js';
import { type SampledWindow, TimingSampler } from './timing.sampler.js';
import { round } from './round.js';
import { redact } from './redact.js';
import { sessionFile } from './session-files.js';
// Node 20 serves the global `performance` through a lazy getter on every read; the import does not.
import { performance } from 'node:perf_hooks';

/** Category names remembered as valid; more are still checked, only not remembered. */
const MAX_KNOWN_CATEGORIES = 64;

/** Whether a timing entry of one category is to be written (see `DebugLogger.admitTiming`). */
export type TimingGate = (durationMs: number, keep: boolean, correlationId: string, now?: number) => boolean;

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
  private readonly encoder: EntryEncoder;
  private readonly timings = new TimingQueue();
  private readonly categories = new Set<string>();
  private readonly samplers = new Map<string, TimingSampler>();
  private readonly gates = new Map<string, TimingGate>();

  constructor(readonly options: NormalizedDebugLoggerOptions) {
    this.encoder = new EntryEncoder(options.sessionId, options.service);
    if (!options.enabled) return;
    this.writer = new JsonlWriter(options.dir, options.sessionId, options.flushIntervalMs, {
      failed: (category, error) => this.logger.error(`cannot write the ${category} debug log: ${error.message}`),
      dropped: (category, lines) => this.logger.warn(`the ${category} debug log dropped ${lines} lines it could not write`),
      // The gap is marked in the file itself, where whoever reads it will look. The mark takes
      // the time of the line after it, not the later one of the write, so the viewer, which
      // orders by time, shows it between the lines it separates.
      gapMark: (category, lines, next) => {
        const out = new LineBuffer();
        this.encoder.encode(out, category, 'log.dropped', 'warn', null, { dropped_lines: lines }, firstEntryTime(next) ?? Date.now());
        return out.take();
      },
      beforeFlush: () => {
        this.endSamplingWindows();
        this.encodeTimings();
      },
    });
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
    this.write(category, msg, fields, level);
  }

  /**
   * Whether a timing entry of `category` is to be written, asked before it is made: above
   * `timingsPerSecond` entries a second, normal ones are sampled by correlation ID
   * (`TimingSampler`); `keep` (a failed or slow one) is always written. Left-out entries are summed up in a
   * `timings.sampled` entry of the category once their second ends. `now`: when the work ended,
   * on the monotonic clock (a wall clock set back would hold a window open and drop every entry).
   */
  admitTiming(category: string, durationMs: number, keep: boolean, correlationId: string, now = performance.now()): boolean {
    return this.timingGate(category)(durationMs, keep, correlationId, now);
  }

  /** `admitTiming` for one category, kept by a caller that asks per message: no lookup by name each time. */
  timingGate(category: string): TimingGate {
    let gate = this.gates.get(category);
    if (gate === undefined) this.gates.set(category, (gate = this.newGate(category)));
    return gate;
  }

  private newGate(category: string): TimingGate {
    let sampler: TimingSampler | undefined;
    return (durationMs, keep, correlationId, now = performance.now()) => {
      if (this.writer === undefined) return false;
      if (this.options.timingsPerSecond === 0) return true;
      sampler ??= this.samplerOf(category, now);
      this.rollEnded(category, sampler, now);
      return sampler.admit(durationMs, keep, correlationId);
    };
  }

  private samplerOf(category: string, now: number): TimingSampler {
    let sampler = this.samplers.get(category);
    if (sampler === undefined) this.samplers.set(category, (sampler = new TimingSampler(this.options.timingsPerSecond, now)));
    return sampler;
  }

  /**
   * For the framework's own timing entries (handlers, calls, timers), whose fields are known
   * and hold no secrets: no redaction walk, and the encoding is batched, as this runs per
   * message. The entry keeps the time it was logged at.
   */
  logTiming(category: string, msg: string, timing: TimingEntry): void {
    const writer = this.writer;
    if (writer === undefined) return;
    if (this.timings.push(this.checked(category), msg, timing, Date.now())) this.encodeTimings();
    else writer.schedule();
  }

  // At each flush: a window that ended with no entry since writes its summary now, and one
  // still leaving entries out keeps a flush coming, so its summary is never held back long.
  private endSamplingWindows(): void {
    const now = performance.now();
    for (const [category, sampler] of this.samplers) {
      this.rollEnded(category, sampler, now);
      if (sampler.pending) this.writer!.schedule();
    }
  }

  private rollEnded(category: string, sampler: TimingSampler, now: number): void {
    if (sampler.ended(now)) this.writeSampled(category, sampler.roll(now));
  }

  // The summary belongs to no request: it carries no correlation ID, whatever context it is written in.
  private writeSampled(category: string, window: SampledWindow | undefined): void {
    if (window !== undefined) this.write(category, 'timings.sampled', { ...window }, 'info', null);
  }

  // Runs before every write of another entry and every flush, so files keep arrival order.
  private encodeTimings(): void {
    const writer = this.writer!;
    this.timings.drain((category, msg, timing, at) => {
      this.encoder.encodeTiming(writer.out(category), category, msg, timing, at);
      writer.written(category);
    });
  }

  private write(category: string, msg: string, fields: Record<string, unknown>, level: DebugLevel, correlation?: null): void {
    const writer = this.writer;
    if (writer === undefined) return;
    category = this.checked(category);
    this.encodeTimings();
    const correlationId = correlation === null ? null : ((fields.correlationId as string | undefined) ?? CorrelationContext.currentId() ?? null);
    const safe = redact(fields, this.options.redactFields) as Record<string, unknown>;
    const out = writer.out(category);
    const mark = out.size;
    try {
      this.encoder.encode(out, category, msg, level, correlationId, safe, Date.now());
    } catch (error) {
      // A field that cannot be serialized (a throwing toJSON) must not leave half a line.
      out.truncate(mark);
      this.logger.warn(`debug log entry ${JSON.stringify(msg)} could not be written: ${(error as Error).message}`);
      return;
    }
    writer.written(category);
  }

  // A category names a file, so only lowercase names are taken; anything else goes to errors.
  // Names already taken skip the pattern: timing entries pass here once per message.
  private checked(category: string): string {
    if (this.categories.has(category)) return category;
    if (CATEGORY_PATTERN.test(category)) {
      if (this.categories.size < MAX_KNOWN_CATEGORIES) this.categories.add(category);
      return category;
    }
    this.logger.warn(`debug log category ${JSON.stringify(category)} is not a lowercase name; written to errors`);
    return DebugCategory.ERRORS;
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

  /** Writes what is buffered and closes the files (at shutdown); a later entry opens them again. */
  async close(): Promise<void> {
    // The window cut short by the close still says what it left out. The samplers stay, as the
    // gates callers keep hold them: after a reopen each goes on with its window and stride.
    for (const [category, sampler] of this.samplers) if (sampler.pending) this.writeSampled(category, sampler.roll(performance.now()));
    await this.writer?.close();
  }

  /** Milliseconds since the logger started. */
  uptimeMs(): number {
    return Math.round(performance.now() - this.startedAt);
  }
}

/** The time (epoch ms) of the first entry of a batch of lines; read once per gap, never per line. */
function firstEntryTime(batch: Buffer): number | undefined {
  const end = batch.indexOf(0x0a);
  try {
    const time = Date.parse((JSON.parse(batch.toString('utf8', 0, end === -1 ? batch.length : end)) as { timestamp?: unknown }).timestamp as string);
    return Number.isNaN(time) ? undefined : time;
  } catch {
    return undefined;
  }
}
