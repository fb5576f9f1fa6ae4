import { InvalidOptionsError } from '@cliffracer/common';
import { describe, expect, it } from '@jest/globals';
import { DEFAULT_AUTH_OPTIONS, normalizeAuthOptions } from './auth.options.js';

const base = { issuer: 'cliffracer-tests', audience: 'shop', secret: 'a-test-secret-of-at-least-32-characters!' };

describe('normalizeAuthOptions', () => {
  it('limits token lifetime to 24 hours unless told otherwise', () => {
    expect(DEFAULT_AUTH_OPTIONS.maxTokenLifetimeSec).toBe(86_400);
    expect(normalizeAuthOptions(base).maxTokenLifetimeSec).toBe(86_400);
    expect(normalizeAuthOptions({ ...base, maxTokenLifetimeSec: 3600 }).maxTokenLifetimeSec).toBe(3600);
  });

  it('refuses an expiresInSec longer than maxTokenLifetimeSec at boot', () => {
    expect(() => normalizeAuthOptions({ ...base, expiresInSec: 2 * 86_400 })).toThrow(
      new InvalidOptionsError('Auth', 'expiresInSec (172800) exceeds maxTokenLifetimeSec (86400)'),
    );
    expect(() => normalizeAuthOptions({ ...base, expiresInSec: 3601, maxTokenLifetimeSec: 3600 })).toThrow(InvalidOptionsError);
  });

  it.each([0, -1, 1.5, Number.NaN, '3600'])('refuses a maxTokenLifetimeSec of %p', (value) => {
    expect(() => normalizeAuthOptions({ ...base, maxTokenLifetimeSec: value as number })).toThrow('invalid Auth options: maxTokenLifetimeSec must be a positive whole number');
  });

  it('keeps failure reasons from callers unless told otherwise', () => {
    expect(normalizeAuthOptions(base).revealFailureReasons).toBe(false);
    expect(normalizeAuthOptions({ ...base, revealFailureReasons: true }).revealFailureReasons).toBe(true);
  });

  it.each(['revealFailureReasons', 'forwardToken', 'globalGuard'])('refuses a %s that is the string "false", as the environment gives it', (key) => {
    expect(() => normalizeAuthOptions({ ...base, [key]: 'false' })).toThrow(`invalid Auth options: ${key} must be true or false`);
  });
});
