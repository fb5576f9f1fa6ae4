import type { LineBuffer } from './line.buffer.js';

/** Heads kept; a service's constant messages fit many times over, variable ones are not cached. */
const MAX_HEADS = 512;

/** The framework's timing entry: one handled message, client call or timer run. */
export interface TimingEntry {
  correlationId: string;
  operation: string;
  durationMs: number;
  failed: boolean;
  /** A timer's interval. */
  intervalMs?: number;
  /** What failed, when `failed`. */
  error?: { name?: string; code?: string; message?: string };
}

const bytesOf = (text: string) => Buffer.from(text, 'utf8');
const ELAPSED = bytesOf('","elapsed_seconds":');
const CORRELATION = bytesOf(',"correlation_id":');
const NULL = bytesOf('null');
const OPERATION = bytesOf(',"operation":');
const DURATION = bytesOf(',"duration_ms":');
const INTERVAL = bytesOf(',"interval_ms":');
const SUCCEEDED = bytesOf(',"success":true');
const FAILED = bytesOf(',"success":false');
const ERROR = bytesOf(',"error":');

/**
 * Writes entries as JSON lines into a category's `LineBuffer`, with no entry object: the
 * constant head of each (category, msg, level) is encoded once, the ISO timestamp once per
 * millisecond, the rest piece by piece. This keeps the debug logger cheap on a busy
 * handler, where it runs once per message.
 *
 * Every line: `{ session_id, service, level, category, msg, timestamp, elapsed_seconds,
 * correlation_id, ...fields }`.
 */
export class EntryEncoder {
  // category → msg → level → head; constant strings hash once, a joined key would hash per entry.
  private readonly heads = new Map<string, Map<string, Record<string, Buffer>>>();
  private headCount = 0;
  private readonly startedAt = Date.now();
  private lastMs = Number.NaN;
  private lastIso: Buffer = Buffer.alloc(0);

  constructor(
    private readonly sessionId: string,
    private readonly service: string,
  ) {}

  /**
   * Any entry, logged at `at` (epoch milliseconds). Fields whose value is undefined are left out, as JSON does; a `correlationId`
   * field is the `correlation_id` given, not repeated.
   */
  encode(out: LineBuffer, category: string, msg: string, level: string, correlationId: string | null, fields: Record<string, unknown>, at: number): void {
    this.start(out, category, msg, level, correlationId, at);
    for (const key in fields) {
      const value = fields[key];
      if (value === undefined || key === 'correlationId') continue;
      out.ascii(',').string(key).ascii(':');
      encodeValue(out, value);
    }
    out.ascii('}').newline();
  }

  /**
   * A timing entry: `operation`, `duration_ms` (to the microsecond), `interval_ms` for timers,
   * `success`, and `error` when it failed; level `warn` when it failed, else `info`.
   */
  encodeTiming(out: LineBuffer, category: string, msg: string, timing: TimingEntry, at: number): void {
    this.start(out, category, msg, timing.failed ? 'warn' : 'info', timing.correlationId, at);
    out.raw(OPERATION).string(timing.operation).raw(DURATION);
    if (Number.isFinite(timing.durationMs)) out.thousandths(timing.durationMs * 1000);
    else out.raw(NULL);
    if (timing.intervalMs !== undefined) out.raw(INTERVAL).number(timing.intervalMs);
    out.raw(timing.failed ? FAILED : SUCCEEDED);
    if (timing.error !== undefined) out.raw(ERROR).text(JSON.stringify(timing.error));
    out.ascii('}').newline();
  }

  // Everything up to and including correlation_id, without the closing brace.
  private start(out: LineBuffer, category: string, msg: string, level: string, correlationId: string | null, at: number): void {
    out.raw(this.head(category, msg, level)).raw(this.iso(at)).raw(ELAPSED).thousandths(Math.max(0, at - this.startedAt)).raw(CORRELATION);
    if (correlationId === null) out.raw(NULL);
    else out.string(correlationId);
  }

  private head(category: string, msg: string, level: string): Buffer {
    const byLevel = this.heads.get(category)?.get(msg);
    const cached = byLevel?.[level];
    if (cached !== undefined) return cached;
    const constant = JSON.stringify({ session_id: this.sessionId, service: this.service, level, category, msg });
    const head = bytesOf(`${constant.slice(0, -1)},"timestamp":"`);
    if (this.headCount < MAX_HEADS) {
      this.headCount += 1;
      let byMsg = this.heads.get(category);
      if (byMsg === undefined) this.heads.set(category, (byMsg = new Map()));
      byMsg.set(msg, { ...byLevel, [level]: head });
    }
    return head;
  }

  private iso(now: number): Buffer {
    if (now !== this.lastMs) {
      this.lastMs = now;
      this.lastIso = bytesOf(new Date(now).toISOString());
    }
    return this.lastIso;
  }
}

function encodeValue(out: LineBuffer, value: unknown): void {
  switch (typeof value) {
    case 'string':
      out.string(value);
      return;
    case 'boolean':
      out.ascii(value ? 'true' : 'false');
      return;
    case 'number':
      out.number(value);
      return;
    default:
      out.text(JSON.stringify(value) ?? 'null');
  }
}
