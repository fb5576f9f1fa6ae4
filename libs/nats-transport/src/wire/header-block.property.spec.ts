import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { MsgHdrsImpl } from '@nats-io/nats-core/internal';
import { headerValueIn } from './header-block.js';

const NAME = 'X-Correlation-ID';
const nameBytes = Buffer.from(NAME, 'latin1');

/** Header lines: well-formed ones, the correlation header, and arbitrary bytes (spaces, CR, LF, UTF-8, colons). */
const line = fc.oneof(
  { arbitrary: fc.tuple(fc.stringMatching(/^[A-Za-z0-9-]{1,10}$/), fc.string({ maxLength: 20 })).map(([n, v]) => `${n}:${v}`), weight: 4 },
  { arbitrary: fc.string({ maxLength: 40 }).map((v) => `${NAME}: ${v}`), weight: 3 },
  fc.constantFrom(`x-correlation-id: lower`, `${NAME}:\t spaced \t`, `${NAME}:`, 'No colon here', ':empty-name', 'Bad Name: v', 'A: b\nc', 'A: b\rc'),
  fc.string({ unit: 'binary', maxLength: 30 }),
);
const block = fc.tuple(
  fc.oneof({ arbitrary: fc.constant('NATS/1.0'), weight: 6 }, fc.constantFrom('NATS/1.0 503', 'NATS/1.0 408 Timeout', 'NATS/1.1', '')),
  fc.array(line, { maxLength: 5 }),
  fc.oneof({ arbitrary: fc.constant(true), weight: 4 }, fc.constant(false)),
).map(
  ([status, lines, closed]) => Buffer.from(`${[status, ...lines].join('\r\n')}${closed ? '\r\n\r\n' : ''}`, 'utf8'),
);

/**
 * Blocks of raw bytes, as a hostile publisher writes them: invalid and cut UTF-8, NUL, DEL,
 * bytes over 127, stray CR and LF, BOMs and Unicode spaces, and bytes after the block's end
 * (the body nats.js keeps in the same buffer) that a scan must not read.
 */
const VALUE_BYTES = [' ', '\t', ':', 'id-1', '\x00', '\x7f', '\x80', '\xff', '\xc3', '\xa9', '\xe2\x80', '\xf0\x9f\x98', '\xed\xa0\x80', '\xef\xbb\xbf', '\xc2\xa0', '\xe3\x80\x80', '\xe2\x80\xa8'];
const rawLine = fc.oneof(
  {
    arbitrary: fc
      .tuple(fc.constantFrom(NAME, NAME, 'x-correlation-id', 'A', 'A\x7f', 'A\x80', `${NAME}\xff`, ''), fc.array(fc.oneof({ arbitrary: fc.constantFrom(...VALUE_BYTES), weight: 12 }, fc.constantFrom('\r', '\n')), { maxLength: 5 }), fc.oneof({ arbitrary: fc.constant('\r\n'), weight: 12 }, fc.constantFrom('\r\r\n', '\n', '')))
      .map(([name, value, eol]) => `${name}:${value.join('')}${eol}`),
    weight: 12,
  },
  fc.constantFrom('\r\n', '\r', '\n', '\r\r\n', 'no colon\r\n', '\x80\r\n'),
);
const rawBlock = fc
  .tuple(fc.oneof({ arbitrary: fc.constant('NATS/1.0\r\n'), weight: 8 }, fc.constantFrom('NATS/1.0', 'NATS/1.0 503\r\n', '')), fc.array(rawLine, { maxLength: 5 }), fc.constantFrom('', '\r\n', '\r'), fc.constantFrom('', '\n', '\r\n', '\n{}', ':x\r\n'))
  .map(([head, lines, close, after]) => {
    const text = head + lines.join('') + close;
    return { bytes: Buffer.from(text + after, 'latin1'), end: text.length };
  });

describe('headerValueIn', () => {
  it('vouches only for blocks nats.js decodes without throwing, and reads what MsgHdrs.get reads', () => {
    let vouched = 0;
    fc.assert(
      fc.property(block, (bytes) => {
        const value = headerValueIn(bytes, bytes.length, nameBytes);
        if (value === undefined) return;
        vouched += 1;
        const decoded = MsgHdrsImpl.decode(bytes);
        expect(value).toBe(decoded.get(NAME));
      }),
      { numRuns: 3000 },
    );
    // The property says something only if many blocks were read here, not all left to nats.js.
    expect(vouched).toBeGreaterThan(300);
  });

  it('vouches for raw bytes only when nats.js decodes them, reading no byte past the block', () => {
    let vouched = 0;
    fc.assert(
      fc.property(rawBlock, ({ bytes, end }) => {
        const value = headerValueIn(bytes, end, nameBytes);
        if (value === undefined) return;
        vouched += 1;
        expect(value).toBe(MsgHdrsImpl.decode(bytes.subarray(0, end)).get(NAME));
        // The same block followed by other bytes reads the same.
        const alone = Buffer.from(bytes.subarray(0, end));
        expect(headerValueIn(alone, end, nameBytes)).toBe(value);
        // A view that is not a Buffer, at an offset into a larger one, reads the same.
        const shifted = new Uint8Array(end + 7);
        shifted.set(bytes.subarray(0, end), 7);
        expect(headerValueIn(new Uint8Array(shifted.buffer, 7, end), end, nameBytes)).toBe(value);
      }),
      { numRuns: 5000 },
    );
    expect(vouched).toBeGreaterThan(500);
  });

  it('reads a block holding the header alone, as callers send it, as nats.js does, for any value bytes', () => {
    const valuePart = fc.oneof({ arbitrary: fc.constantFrom(...VALUE_BYTES), weight: 12 }, fc.constantFrom('\r', '\n', '\r\n', '\r\nA:b'));
    fc.assert(
      fc.property(fc.array(valuePart, { maxLength: 6 }), (parts) => {
        const value = parts.join('');
        const bytes = Buffer.from(`NATS/1.0\r\n${NAME}:${value}\r\n\r\n`, 'latin1');
        const read = headerValueIn(bytes, bytes.length, nameBytes);
        // Without a line break in the value the block is always read here.
        if (!/[\r\n]/.test(value)) expect(read).toBeDefined();
        if (read !== undefined) expect(read).toBe(MsgHdrsImpl.decode(bytes).get(NAME));
      }),
      { numRuns: 3000 },
    );
  });

  it('reads plain blocks itself: the first value by exact name, trimmed; empty when absent', () => {
    const read = (text: string) => headerValueIn(Buffer.from(text), Buffer.byteLength(text), nameBytes);
    expect(read(`NATS/1.0\r\n${NAME}: abc-1\r\n\r\n`)).toBe('abc-1');
    expect(read(`NATS/1.0\r\nA: 1\r\n${NAME}:  first \r\n${NAME}: second\r\n\r\n`)).toBe('first');
    expect(read(`NATS/1.0\r\nx-correlation-id: other\r\n\r\n`)).toBe('');
    expect(read('NATS/1.0\r\n\r\n')).toBe('');
  });

  it('leaves to nats.js what it does not vouch for: a status line, a space in a name, a bare LF or CR, a line without a colon, a cut block', () => {
    const read = (text: string) => headerValueIn(Buffer.from(text), Buffer.byteLength(text), nameBytes);
    expect(read('NATS/1.0 503\r\n\r\n')).toBeUndefined();
    expect(read('NATS/1.0\r\nBad Name: v\r\n\r\n')).toBeUndefined();
    expect(read(`NATS/1.0\r\n${NAME}: a\nb\r\n\r\n`)).toBeUndefined();
    expect(read(`NATS/1.0\r\n${NAME}: a\rb\r\n\r\n`)).toBeUndefined();
    expect(read('NATS/1.0\r\nno colon\r\n\r\n')).toBeUndefined();
    expect(read(`NATS/1.0\r\n${NAME}: cut`)).toBeUndefined();
    expect(read('\ufeffNATS/1.0\r\n\r\n')).toBeUndefined();
  });

  it('reads within the given end, not past it', () => {
    const bytes = Buffer.from(`NATS/1.0\r\n${NAME}: id-1\r\n\r\n{"body":1}`);
    expect(headerValueIn(bytes, bytes.length - '{"body":1}'.length, nameBytes)).toBe('id-1');
    // A block whose last byte is a CR is not closed by the LF the body starts with.
    const cut = Buffer.from(`NATS/1.0\r\n${NAME}: id-1\r\n\r\n{}`);
    expect(headerValueIn(cut, cut.length - '\n{}'.length, nameBytes)).toBeUndefined();
  });
});
