/** Bytes a buffer starts with; it grows when one entry does not fit. */
const INITIAL_BYTES = 64 * 1024;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
/** Pieces up to this many bytes are copied byte by byte. */
const SHORT_PIECE = 32;

/**
 * JSON lines written straight into bytes, piece by piece, so that an entry costs no string
 * building, no join and no later UTF-8 conversion. `take()` hands over what is written and
 * starts a new buffer, as the handed one is still being written to disk.
 */
export class LineBuffer {
  private bytes = Buffer.allocUnsafeSlow(INITIAL_BYTES);
  private used = 0;

  get size(): number {
    return this.used;
  }

  /** Bytes prepared once (a constant head, a cached timestamp). */
  raw(piece: Uint8Array): this {
    const length = piece.length;
    const at = this.ensure(length);
    // A loop beats `set()` on the short pieces most entries are made of (a call into native code each).
    if (length <= SHORT_PIECE) {
      const bytes = this.bytes;
      for (let i = 0; i < length; i += 1) bytes[at + i] = piece[i]!;
    } else {
      this.bytes.set(piece, at);
    }
    this.used += length;
    return this;
  }

  /** Text already valid inside JSON (constant keys, digits, `true`), ASCII only. */
  ascii(text: string): this {
    this.ensure(text.length);
    for (let i = 0; i < text.length; i += 1) this.bytes[this.used + i] = text.charCodeAt(i);
    this.used += text.length;
    return this;
  }

  /** Any text, as UTF-8 (a line encoded elsewhere). */
  text(text: string): this {
    this.ensure(text.length * 3);
    this.used += this.bytes.write(text, this.used, 'utf8');
    return this;
  }

  /** A JSON string: copied as is when it needs no escaping, else through `JSON.stringify`. */
  string(value: string): this {
    this.ensure(value.length + 2);
    const start = this.used;
    const bytes = this.bytes;
    bytes[start] = QUOTE;
    for (let i = 0; i < value.length; i += 1) {
      const code = value.charCodeAt(i);
      if (code < 0x20 || code > 0x7e || code === QUOTE || code === BACKSLASH) return this.text(JSON.stringify(value));
      bytes[start + 1 + i] = code;
    }
    bytes[start + 1 + value.length] = QUOTE;
    this.used += value.length + 2;
    return this;
  }

  /** A whole number of thousandths as a decimal (`1234` → `1.234`), without float formatting. */
  thousandths(count: number): this {
    count = Math.round(count);
    if (count < 0) {
      this.ascii('-');
      count = -count;
    }
    const rest = count % 1000;
    this.number((count - rest) / 1000).ascii('.');
    this.bytes.set(DIGIT_TRIPLETS[rest]!, this.ensure(3));
    this.used += 3;
    return this;
  }

  /** A number; `null` when not finite, as JSON has no NaN. */
  number(value: number): this {
    if (Number.isInteger(value) && value >= 0 && value < 1000) return this.raw(DIGITS[value]!);
    return this.ascii(Number.isFinite(value) ? String(value) : 'null');
  }

  /** Ends the line. */
  newline(): this {
    this.ensure(1);
    this.bytes[this.used] = 0x0a;
    this.used += 1;
    return this;
  }

  /** Drops what was written after `size` (a line that could not be finished). */
  truncate(size: number): void {
    this.used = Math.min(size, this.used);
  }

  /** What is written so far, and a fresh buffer for what follows. */
  take(): Buffer {
    const written = this.bytes.subarray(0, this.used);
    this.bytes = Buffer.allocUnsafeSlow(Math.max(INITIAL_BYTES, this.used));
    this.used = 0;
    return written;
  }

  // Returns where the next bytes go; grows the buffer, keeping what is written, if needed.
  private ensure(extra: number): number {
    if (this.used + extra > this.bytes.length) {
      const bigger = Buffer.allocUnsafeSlow(Math.max(this.bytes.length * 2, this.used + extra));
      this.bytes.copy(bigger, 0, 0, this.used);
      this.bytes = bigger;
    }
    return this.used;
  }
}

const DIGITS = Array.from({ length: 1000 }, (_, n) => Buffer.from(String(n), 'latin1'));
const DIGIT_TRIPLETS = Array.from({ length: 1000 }, (_, n) => Buffer.from(String(n).padStart(3, '0'), 'latin1'));
