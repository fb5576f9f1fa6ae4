import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { headers as natsHeaders, Match, type MsgHdrs, MsgHdrsImpl } from '@nats-io/transport-node';
import { OutgoingHeaders } from './outgoing-headers.js';

type Op = ['set' | 'append' | 'delete', string, string, Match];

const name = fc.oneof(fc.constantFrom('X-Correlation-ID', 'x-correlation-id', 'Authorization', 'traceparent', 'Tenant'), fc.stringMatching(/^[A-Za-z-]{1,8}$/));
const op: fc.Arbitrary<Op> = fc.tuple(
  fc.constantFrom('set' as const, 'append' as const, 'delete' as const),
  name,
  fc.oneof(fc.string({ maxLength: 12 }), fc.constant(' padded ')),
  fc.constantFrom(Match.Exact, Match.IgnoreCase, Match.CanonicalMIME),
);

function apply(h: { set(k: string, v: string, m: Match): void; append(k: string, v: string, m: Match): void; delete(k: string, m: Match): void }, [kind, k, v, m]: Op): void {
  if (kind === 'delete') h.delete(k, m);
  else h[kind](k, v, m);
}

describe('OutgoingHeaders', () => {
  it('holds, reads and encodes what nats.js headers() would after the same operations', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 8 }), fc.array(name, { maxLength: 3 }), (ops, probes) => {
        const ours = new OutgoingHeaders();
        const theirs = natsHeaders() as MsgHdrsImpl;
        for (const o of ops) {
          apply(ours, o);
          apply(theirs, o);
        }
        expect(Buffer.from(ours.encode()).toString()).toBe(Buffer.from(theirs.encode()).toString());
        expect(ours.keys()).toEqual(theirs.keys());
        const view: MsgHdrs = theirs;
        for (const k of probes) {
          for (const m of [Match.Exact, Match.IgnoreCase, Match.CanonicalMIME]) {
            expect([ours.get(k, m), ours.last(k, m), ours.has(k, m), ours.values(k, m)]).toEqual([view.get(k, m), view.last(k, m), view.has(k, m), view.values(k, m)]);
          }
        }
        expect([...ours]).toEqual([...theirs]);
      }),
      { numRuns: 2000 },
    );
  });

  it('decodes on the receiving side as sent', () => {
    const h = new OutgoingHeaders();
    h.set('X-Correlation-ID', 'id-1');
    h.append('Tenant', 'a');
    h.append('Tenant', 'b');
    const decoded = MsgHdrsImpl.decode(h.encode());
    expect(decoded.get('X-Correlation-ID')).toBe('id-1');
    expect(decoded.values('Tenant')).toEqual(['a', 'b']);
  });

  it('takes the names and values nats.js takes, but an empty name, and sends each as one line', () => {
    // Any code point: a UTF-16 unit whose low byte is CR or LF (U+010A, U+560D) must not become one.
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 8 }),
      fc.constantFrom('a\u010ab', '\u560d\u560a', 'a\u2028b', 'a\u0085b', 'a\rb', 'a\nb', 'a\r\nX-Injected: 1', 'a\x00b', 'Tenant', 'Bad Name', 'A:B', ''),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(text, text), { minLength: 1, maxLength: 3 }), (pairs) => {
        const ours = new OutgoingHeaders();
        const theirs = natsHeaders() as MsgHdrsImpl;
        for (const [k, v] of pairs) {
          const refused = throws(() => ours.append(k, v));
          // nats.js takes an empty name; a block with one is never sent from here.
          if (k === '') expect(refused).toBe(true);
          else expect(throws(() => theirs.append(k, v))).toBe(refused);
        }
        expect(Buffer.from(ours.encode()).equals(Buffer.from(theirs.encode()))).toBe(true);
        expect([...MsgHdrsImpl.decode(ours.encode())]).toEqual([...ours]);
      }),
      { numRuns: 3000 },
    );
  });

  it('refuses a name nats.js refuses and a value with a line break, as nats.js does', () => {
    const h = new OutgoingHeaders();
    expect(() => h.set('Bad Name', 'v')).toThrow(/not a valid header name/);
    expect(() => h.set('A:B', 'v')).toThrow(/not a valid header name/);
    expect(() => h.set('Name', 'a\r\nInjected: yes')).toThrow(/cannot contain/);
    expect(() => natsHeaders().set('Bad Name', 'v')).toThrow();
    expect(h.toString()).toBe('');
  });
});

function throws(fn: () => void): boolean {
  try {
    fn();
    return false;
  } catch {
    return true;
  }
}
