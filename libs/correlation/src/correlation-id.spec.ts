import { describe, expect, it } from '@jest/globals';
import { acceptCorrelationId, isValidCorrelationId } from './correlation-id.js';
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

  it('keeps the ID across awaits inside run()', async () => {
    const seen = await CorrelationContext.run('c-1', async () => {
      await new Promise((r) => setTimeout(r, 1));
      return CorrelationContext.currentId();
    });
    expect(seen).toBe('c-1');
    expect(CorrelationContext.currentId()).toBeUndefined();
  });
});
