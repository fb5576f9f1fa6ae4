import { describe, expect, it } from '@jest/globals';
import { AuthFailureLimiter } from './auth-failure.limiter.js';
import { tokenMatches } from './token-check.js';
import { parseBackdoorTarget } from './cli/backdoor-target.js';

describe('AuthFailureLimiter', () => {
  it('allows logins until the failures within the window reach the limit', () => {
    const limiter = new AuthFailureLimiter(2, 1000, 300);
    limiter.recordFailure(0);
    expect(limiter.retryAfterMs(10)).toBe(0);
    limiter.recordFailure(100);
    expect(limiter.retryAfterMs(200)).toBe(200);
  });

  it('lets logins in again once the lockout has passed, however long the window', () => {
    const limiter = new AuthFailureLimiter(2, 60_000, 300);
    limiter.recordFailure(0);
    limiter.recordFailure(100);
    expect(limiter.retryAfterMs(399)).toBe(1);
    expect(limiter.retryAfterMs(400)).toBe(0);
  });

  it('counts failures afresh after a lockout', () => {
    const limiter = new AuthFailureLimiter(2, 60_000, 300);
    limiter.recordFailure(0);
    limiter.recordFailure(100);
    limiter.recordFailure(500);
    expect(limiter.retryAfterMs(500)).toBe(0);
  });

  it('forgets failures older than the window', () => {
    const limiter = new AuthFailureLimiter(2, 1000, 300);
    limiter.recordFailure(0);
    limiter.recordFailure(1500);
    expect(limiter.retryAfterMs(1500)).toBe(0);
  });
});

describe('tokenMatches', () => {
  it('accepts the same token and rejects others, whatever their length', () => {
    expect(tokenMatches('secret-token-1', 'secret-token-1')).toBe(true);
    expect(tokenMatches('secret-token-2', 'secret-token-1')).toBe(false);
    expect(tokenMatches('', 'secret-token-1')).toBe(false);
  });
});

describe('parseBackdoorTarget', () => {
  it.each([
    ['localhost:4000', { host: 'localhost', port: 4000 }],
    ['4000', { host: '127.0.0.1', port: 4000 }],
    ['[::1]:4000', { host: '::1', port: 4000 }],
  ])('reads %s', (value, expected) => {
    expect(parseBackdoorTarget(value)).toEqual(expected);
  });

  it('rejects a target without a port', () => {
    expect(() => parseBackdoorTarget('localhost')).toThrow('expected host:port or port');
  });
});
