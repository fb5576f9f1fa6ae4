import { describe, expect, it } from '@jest/globals';
import { InvalidOptionsError } from '@cliffracer/common';
import fc from 'fast-check';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { MsgHdrsImpl } from '@nats-io/nats-core/internal';
import { callerHeaderOf, callerHeadersOf, checkCallerHeaders, isReservedHeader } from './caller-headers.js';

// Both weighted toward what is valid, so sets of several accepted headers are common too.
/** Names a caller might pass: plain ones, reserved ones in any casing, and arbitrary text. */
const headerName = fc.oneof(
  { arbitrary: fc.stringMatching(/^[A-Za-z0-9-]{1,12}$/), weight: 6 },
  fc.constantFrom('Authorization', 'x-correlation-id', 'TRACEPARENT', 'tracestate', 'Nats-Msg-Id', 'nats-expected-stream', 'Cliffracer-Error', '__proto__'),
  fc.string({ unit: 'binary', maxLength: 12 }),
);
/** Values: printable text, and arbitrary code units (CR, LF, controls, lone surrogates). */
const headerValue = fc.oneof({ arbitrary: fc.string({ maxLength: 40 }), weight: 6 }, fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: 'binary-ascii', maxLength: 40 }));

/** What a handler receives: `list` sent by nats.js, decoded by nats.js as a server would. */
function received(list: ReadonlyArray<readonly [string, string]>) {
  const h = natsHeaders() as MsgHdrsImpl;
  for (const [name, value] of list) h.append(name, value);
  return MsgHdrsImpl.decode(h.encode());
}

describe('caller headers (properties)', () => {
  it('either refuses headers with InvalidOptionsError or delivers exactly them: no line injected, none lost', () => {
    fc.assert(
      fc.property(fc.dictionary(headerName, headerValue, { maxKeys: 6 }), (headers) => {
        let list;
        try {
          list = checkCallerHeaders(headers, 'fuzz.rpc');
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidOptionsError);
          return;
        }
        // NATS drops the whitespace around a value; nothing else changes.
        const expected = Object.fromEntries(list.map(([name, value]) => [name.toLowerCase(), value.trim()]));
        expect(callerHeadersOf(received(list))).toStrictEqual(expected);
        for (const [name] of list) expect(isReservedHeader(name)).toBe(false);
      }),
      { numRuns: 3000 },
    );
  });

  it('reads any decodable header block into a plain object without reserved names, whatever it holds', () => {
    const line = fc.tuple(headerName, fc.string({ maxLength: 20 })).map(([name, value]) => `${name}: ${value}`);
    fc.assert(
      fc.property(fc.array(line, { maxLength: 8 }), (lines) => {
        const block = new TextEncoder().encode(`NATS/1.0\r\n${lines.join('\r\n')}\r\n\r\n`);
        let decoded: MsgHdrsImpl;
        try {
          decoded = MsgHdrsImpl.decode(block);
        } catch {
          return; // refused before any handler (headerFault)
        }
        const all = callerHeadersOf(decoded);
        expect(Object.getPrototypeOf(all)).toBe(Object.prototype);
        for (const key of Object.keys(all)) {
          expect(key).toBe(key.toLowerCase());
          expect(isReservedHeader(key)).toBe(false);
          // Any casing finds it (ASCII casing: 'ß'.toUpperCase() is 'SS', another name).
          expect(callerHeaderOf(decoded, /^[\x21-\x7e]+$/.test(key) ? key.toUpperCase() : key)).toBe(all[key]);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
