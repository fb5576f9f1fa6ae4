import { describe, expect, it } from '@jest/globals';
import { NotReadyError } from './not-ready.error.js';
import { TooManyRequestsError } from './too-many-requests.error.js';
import { isNotReadyError, isTooManyRequestsError } from './type-guards.js';

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

describe('isTooManyRequestsError', () => {
  it('knows a TooManyRequestsError, with its code and when to retry', () => {
    const error = new TooManyRequestsError(42);
    expect(isTooManyRequestsError(error)).toBe(true);
    expect(error).toMatchObject({ name: 'TooManyRequestsError', code: 'TOO_MANY_REQUESTS', retryAfterSec: 42, data: { retryAfterSec: 42 }, message: 'too many requests, retry in 42 s' });
  });

  it('refuses other errors', () => {
    expect(isTooManyRequestsError(new NotReadyError('nats', 'down'))).toBe(false);
    expect(isTooManyRequestsError({ name: 'TooManyRequestsError' })).toBe(false);
  });
});
