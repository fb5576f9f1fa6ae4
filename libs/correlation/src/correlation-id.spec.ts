import { describe, expect, it } from '@jest/globals';
import { acceptCorrelationId, generateCorrelationId, isValidCorrelationId } from './correlation-id.js';
import { CorrelationContext } from './correlation.context.js';

describe('correlation IDs', () => {
  it('accepts a safe incoming ID', () => {
    expect(acceptCorrelationId('req_42:a-b.c')).toBe('req_42:a-b.c');
  });

  it.each([['with a newline', 'a\nb'], ['with spaces', 'a b'], ['too long', 'x'.repeat(129)], ['empty', ''], ['not a string', 42]])(
    'replaces an ID %s with a new one',
    (_name, value) => {
      expect(isValidCorrelationId(value)).toBe(false);
      expect(acceptCorrelationId(value)).toMatch(/^[0-9a-f-]{36}$/);
    },
  );

  it('generates random version 4 UUIDs, each new, across many draws of random bytes', () => {
    const ids = Array.from({ length: 1000 }, () => generateCorrelationId());
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
    // Every random digit varies: none is copied from a fixed byte or left unwritten.
    for (let at = 0; at < 36; at += 1) {
      if ([8, 13, 14, 18, 23].includes(at)) continue;
      expect(new Set(ids.map((id) => id[at])).size).toBeGreaterThan(at === 19 ? 3 : 12);
    }
  });

  it('keeps the ID across awaits inside run()', async () => {
    const seen = await CorrelationContext.run('c-1', async () => {
      await new Promise((r) => setTimeout(r, 1));
      return CorrelationContext.currentId();
    });
    expect(seen).toBe('c-1');
    expect(CorrelationContext.currentId()).toBeUndefined();
  });
});
