import { describe, expect, it } from '@jest/globals';
import { claimsProblem } from './jwt-claims.js';

const NOW = 1_800_000_000;
const limits = { clockToleranceSec: 5, maxTokenLifetimeSec: 3600 };
const header = { alg: 'HS256', typ: 'JWT' };
const claims = (extra: Record<string, unknown> = {}) => ({ sub: 'u-1', iat: NOW, exp: NOW + 60, ...extra });

describe('claimsProblem', () => {
  it('finds nothing wrong with a subject, a numeric iat and a near exp', () => {
    expect(claimsProblem(header, claims(), limits, NOW)).toBeUndefined();
  });

  it('accepts a token without iat or nbf', () => {
    expect(claimsProblem(header, claims({ iat: undefined }), limits, NOW)).toBeUndefined();
  });

  it.each([
    ['iat', 'yesterday'],
    ['iat', '1800000000'],
    ['iat', null],
    ['iat', Infinity],
    ['nbf', 'soon'],
    ['nbf', -Infinity],
    ['exp', '1800000060'],
    ['exp', Infinity],
    ['exp', NaN],
    ['exp', [NOW + 60]],
  ])('refuses %s = %p as not a number', (name, value) => {
    expect(claimsProblem(header, claims({ [name]: value }), limits, NOW)).toBe(`${name} is not a number`);
  });

  it.each([
    ['a list of extensions', ['exp']],
    ['an empty list', []],
    ['a non-list', 'b64'],
  ])('refuses a crit header with %s (RFC 7515 §4.1.11)', (_what, crit) => {
    expect(claimsProblem({ ...header, crit }, claims(), limits, NOW)).toBe('crit header not supported');
  });

  it.each([
    ['null', null],
    ['a list', [claims()]],
    ['a string', 'claims'],
  ])('refuses a payload that is %s', (_what, payload) => {
    expect(claimsProblem(header, payload, limits, NOW)).toBe('malformed token');
  });

  it('refuses a token without exp or sub', () => {
    expect(claimsProblem(header, claims({ exp: undefined }), limits, NOW)).toBe('missing exp');
    expect(claimsProblem(header, claims({ sub: '' }), limits, NOW)).toBe('missing sub');
    expect(claimsProblem(header, claims({ sub: 42 }), limits, NOW)).toBe('missing sub');
  });

  it('refuses an iat beyond the clock tolerance ahead, and tolerates one within it', () => {
    expect(claimsProblem(header, claims({ iat: NOW + 6, exp: NOW + 66 }), limits, NOW)).toBe('issued in the future');
    expect(claimsProblem(header, claims({ iat: NOW + 5, exp: NOW + 65 }), limits, NOW)).toBeUndefined();
  });

  describe('lifetime', () => {
    it('accepts exp - iat equal to maxTokenLifetimeSec', () => {
      expect(claimsProblem(header, claims({ exp: NOW + 3600 }), limits, NOW)).toBeUndefined();
    });

    it('refuses exp - iat one second over maxTokenLifetimeSec', () => {
      expect(claimsProblem(header, claims({ exp: NOW + 3601 }), limits, NOW)).toBe('lifetime too long');
    });

    it('refuses a ten-year token even when most of it is spent', () => {
      const tenYears = 10 * 365 * 86_400;
      expect(claimsProblem(header, claims({ iat: NOW - tenYears + 60, exp: NOW + 60 }), limits, NOW)).toBe('lifetime too long');
    });

    it('counts from now when iat is missing', () => {
      expect(claimsProblem(header, claims({ iat: undefined, exp: NOW + 3600 }), limits, NOW)).toBeUndefined();
      expect(claimsProblem(header, claims({ iat: undefined, exp: NOW + 3601 }), limits, NOW)).toBe('lifetime too long');
    });

    it('counts from now when iat is ahead within the tolerance, so a later iat cannot stretch it', () => {
      expect(claimsProblem(header, claims({ iat: NOW + 5, exp: NOW + 3603 }), limits, NOW)).toBe('lifetime too long');
    });
  });
});
