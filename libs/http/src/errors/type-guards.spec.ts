import { describe, expect, it } from '@jest/globals';
import { NotReadyError } from './not-ready.error.js';
import { isNotReadyError } from './type-guards.js';

describe('isNotReadyError', () => {
  it('knows a NotReadyError, and one of the same name from another copy of the lib', () => {
    const error = new NotReadyError('database', 'the database did not answer its ping');
    expect(isNotReadyError(error)).toBe(true);
    expect(error).toMatchObject({ name: 'NotReadyError', code: 'NOT_READY', check: 'database', message: 'the database did not answer its ping' });
    expect(isNotReadyError(Object.assign(new Error('x'), { name: 'NotReadyError' }))).toBe(true);
  });

  it('refuses other errors and non-errors', () => {
    expect(isNotReadyError(new Error('the database did not answer its ping'))).toBe(false);
    expect(isNotReadyError({ name: 'NotReadyError' })).toBe(false);
  });
});
