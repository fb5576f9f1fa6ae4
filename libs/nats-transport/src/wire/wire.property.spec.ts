import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { MsgHdrsImpl } from '@nats-io/nats-core/internal';
import { MalformedPayloadError } from '../errors/malformed-payload.error.js';
import { ValidationError } from '../errors/validation.error.js';
import { resolvePayloadLimits } from '../nats-transport.limits.js';
import { decodePayload, encodePayload } from './json.codec.js';
import { headerFault } from './message-headers.js';

const limits = resolvePayloadLimits('property', { maxDepth: 8, maxKeys: 16, maxArrayLength: 16, maxStringLength: 64 });
const encoder = new TextEncoder();

// A message whose headers nats.js decodes lazily from `block`, as a received message does.
function messageWithHeaderBlock(block: Uint8Array) {
  let cached: MsgHdrsImpl | undefined;
  return {
    get headers() {
      cached ??= MsgHdrsImpl.decode(block);
      return cached;
    },
  };
}

describe('wire decoding (properties)', () => {
  it('turns any bytes into a value or a typed refusal, never another error', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 256 }), fc.json().map((text) => encoder.encode(text))), (data) => {
        try {
          decodePayload(data, 'fuzz', limits);
        } catch (error) {
          expect(error instanceof MalformedPayloadError || error instanceof ValidationError).toBe(true);
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('decodes what it encodes, for any JSON value within the limits', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        const bytes = encodePayload(value);
        const text = Buffer.from(bytes).toString('utf8');
        fc.pre(!text.includes('__proto__') && !/"constructor":[[{]/.test(text));
        let decoded: unknown;
        try {
          decoded = decodePayload(bytes, 'fuzz', limits);
        } catch (error) {
          // Only a breached limit may refuse a well-formed value.
          expect(error).toBeInstanceOf(ValidationError);
          return;
        }
        expect(decoded).toEqual(JSON.parse(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('refuses a __proto__ key wherever it hides', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), fc.boolean(), (value, escaped) => {
        const key = escaped ? '\\u005f_proto__' : '__proto__';
        const text = `{"wrap":[${JSON.stringify(value)},{"${key}":{"polluted":true}}]}`;
        expect(() => decodePayload(encoder.encode(text), 'fuzz')).toThrow(MalformedPayloadError);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns: 1000 },
    );
  });

  it('reads any header block without throwing: usable headers, or a BAD_PAYLOAD refusal', () => {
    const line = fc.string({ unit: fc.constantFrom(...'aZ-_: \n\r\t\u0000é'.split('')), maxLength: 24 });
    fc.assert(
      fc.property(fc.array(line, { maxLength: 6 }), (lines) => {
        const block = encoder.encode(`NATS/1.0\r\n${lines.join('\r\n')}\r\n\r\n`);
        const msg = messageWithHeaderBlock(block);
        const fault = headerFault(msg, 'fuzz');
        if (fault === undefined) expect(() => msg.headers).not.toThrow();
        else expect(fault.code).toBe('BAD_PAYLOAD');
      }),
      { numRuns: 5000 },
    );
  });

  it('drops a UTF-8 byte order mark before parsing', () => {
    expect(decodePayload(new Uint8Array([0xef, 0xbb, 0xbf, ...encoder.encode('{"a":1}')]), 'bom')).toEqual({ a: 1 });
  });
});
