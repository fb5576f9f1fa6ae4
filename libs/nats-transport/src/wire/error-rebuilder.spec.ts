import { describe, expect, it } from '@jest/globals';
import { CliffracerError } from '@cliffracer/common';
import { RemoteError } from '../errors/remote.error.js';
import { ValidationError } from '../errors/validation.error.js';
import { ErrorRebuilder } from './error-rebuilder.js';

class StockExhaustedError extends CliffracerError {
  override readonly name = 'StockExhaustedError';
  constructor(sku: string) {
    super(`no stock left: ${sku}`, { code: 'STOCK_EXHAUSTED' });
  }
}

describe('ErrorRebuilder', () => {
  it('rebuilds a built-in class with its data', () => {
    const wire = { name: 'ValidationError', message: 'bad', code: 'VALIDATION_ERROR', data: { failures: [{ field: 'a', messages: ['m'] }] } };
    const error = new ErrorRebuilder().rebuild(wire, 'svc.m') as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.failures).toEqual([{ field: 'a', messages: ['m'] }]);
    expect(error.message).toBe('bad');
  });

  it('rebuilds a registered class without calling its constructor', () => {
    const error = new ErrorRebuilder([StockExhaustedError]).rebuild(
      { name: 'StockExhaustedError', message: 'no stock left: A', code: 'STOCK_EXHAUSTED' },
      'inventory.reserve',
    );
    expect(error).toBeInstanceOf(StockExhaustedError);
    expect(error).toMatchObject({ code: 'STOCK_EXHAUSTED', message: 'no stock left: A' });
    expect(error.stack).toContain('inventory.reserve');
  });

  it('wraps an unknown error in RemoteError with the remote name', () => {
    const error = new ErrorRebuilder().rebuild({ name: 'Whatever', message: 'm', code: 'C', data: [1] }, 's.m');
    expect(error).toBeInstanceOf(RemoteError);
    expect(error).toMatchObject({ remoteName: 'Whatever', code: 'C', data: [1], subject: 's.m' });
  });
});
