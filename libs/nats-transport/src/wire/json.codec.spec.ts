import { describe, expect, it } from '@jest/globals';
import { MalformedPayloadError } from '../errors/malformed-payload.error.js';
import { resolvePayloadLimits } from '../nats-transport.limits.js';
import { decodePayload, encodePayload } from './json.codec.js';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('json codec', () => {
  describe('decodePayload', () => {
    it('parses a JSON body', () => {
      expect(decodePayload(bytes('{"a":[1,"x",null]}'), 's')).toEqual({ a: [1, 'x', null] });
    });

    it('reads an empty body as undefined', () => {
      expect(decodePayload(new Uint8Array(0), 's')).toBeUndefined();
    });

    it('keeps a harmless "constructor" string field', () => {
      expect(decodePayload(bytes('{"constructor":"Ferrari"}'), 's')).toEqual({ constructor: 'Ferrari' });
    });

    it.each([
      ['invalid JSON', '{"a":'],
      ['a __proto__ key', '{"__proto__":{"x":1}}'],
      ['a deep __proto__ key', '[{"a":{"b":{"__proto__":1}}}]'],
      ['an escaped __proto__ key', '{"\\u005f_proto__":{}}'],
      ['a constructor object', '{"constructor":{"prototype":{}}}'],
    ])('rejects %s with MalformedPayloadError', (_name, text) => {
      expect(() => decodePayload(bytes(text), 'orders.get')).toThrow(MalformedPayloadError);
    });

    it('rejects invalid UTF-8', () => {
      expect(() => decodePayload(new Uint8Array([0xc3, 0x28]), 's')).toThrow('payload is not valid JSON: s');
    });

    it('reads a message source\'s subject only to name a refusal', () => {
      let reads = 0;
      const msg = {
        get subject() {
          reads += 1;
          return 'orders.get';
        },
      };
      const limits = resolvePayloadLimits('test', { maxDepth: 2 });
      expect(decodePayload(bytes('{"sku":"KB-101","quantity":3}'), msg, limits)).toEqual({ sku: 'KB-101', quantity: 3 });
      expect(reads).toBe(0);
      expect(() => decodePayload(bytes('{"a":'), msg)).toThrow('payload is not valid JSON: orders.get');
      expect(() => decodePayload(bytes('{"__proto__":{}}'), msg)).toThrow('payload has a forbidden key "__proto__": orders.get');
      expect(() => decodePayload(bytes('[[[[1]]]]'), msg, limits)).toThrow(/maxDepth.*: orders\.get$/);
      expect(reads).toBe(3);
    });

    it('refuses a body too short to scan that nests past maxDepth as not JSON', () => {
      const limits = resolvePayloadLimits('test', { maxDepth: 2 });
      expect(() => decodePayload(bytes('[[['), 'orders.get', limits)).toThrow('payload is not valid JSON: orders.get');
    });

    it('walks very deep payloads without overflowing the stack', () => {
      const deep = `${'['.repeat(5000)}{"__proto__":1}${']'.repeat(5000)}`;
      expect(() => decodePayload(bytes(deep), 's')).toThrow(MalformedPayloadError);
    });
  });

  describe('encodePayload', () => {
    it('encodes undefined as an empty body', () => {
      expect(encodePayload(undefined)).toHaveLength(0);
    });

    it('encodes values as JSON text in UTF-8 bytes', () => {
      expect(Buffer.from(encodePayload({ a: 1, name: 'Zoë' })).toString('utf8')).toBe('{"a":1,"name":"Zoë"}');
      expect(encodePayload({ a: 1 })).toBeInstanceOf(Uint8Array);
    });

    it('refuses a value JSON cannot carry', () => {
      expect(() => encodePayload(() => 1)).toThrow('cannot encode a function as JSON');
      expect(() => encodePayload(10n)).toThrow(TypeError);
    });
  });
});
