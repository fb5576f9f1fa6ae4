import { InvalidOptionsError } from '@cliffracer/common';
import { describe, expect, it } from '@jest/globals';
import { backdoorDisabledReason, normalizeBackdoorOptions } from './backdoor.options.js';

const token = 'a-long-enough-token';

describe('normalizeBackdoorOptions', () => {
  it('binds 127.0.0.1 on a free port by default', () => {
    expect(normalizeBackdoorOptions({ token })).toMatchObject({ host: '127.0.0.1', port: 0, maxSessions: 4 });
  });

  it.each(['0.0.0.0', '::', '10.0.0.5', 'example.com'])('refuses to bind %s', (host) => {
    expect(() => normalizeBackdoorOptions({ token, host })).toThrow(InvalidOptionsError);
  });

  it('refuses a short token', () => {
    expect(() => normalizeBackdoorOptions({ token: 'short' })).toThrow('token must be at least 12 characters');
  });
});

describe('backdoorDisabledReason', () => {
  const options = normalizeBackdoorOptions({ token });

  it('lets it start in development with a token', () => {
    expect(backdoorDisabledReason(options, {})).toBeUndefined();
  });

  it.each([
    [{ CLIFFRACER_DISABLE_BACKDOOR: '1' }, 'CLIFFRACER_DISABLE_BACKDOOR is set'],
    [{ NODE_ENV: 'production' }, 'disabled in production'],
    [{ CLIFFRACER_ENV: 'production' }, 'disabled in production'],
    [{ NODE_ENV: 'Production' }, 'disabled in production'],
    [{ NODE_ENV: 'PRODUCTION' }, 'disabled in production'],
    [{ NODE_ENV: 'prod' }, 'disabled in production'],
    [{ CLIFFRACER_ENV: ' Prod ' }, 'disabled in production'],
  ])('keeps it off with %p', (env, reason) => {
    expect(backdoorDisabledReason(options, env)).toBe(reason);
  });

  it('starts in production only when forced, never past the global switch', () => {
    const forced = normalizeBackdoorOptions({ token, allowInProduction: true });
    expect(backdoorDisabledReason(forced, { NODE_ENV: 'production' })).toBeUndefined();
    expect(backdoorDisabledReason(forced, { NODE_ENV: 'production', CLIFFRACER_DISABLE_BACKDOOR: '1' })).toBe('CLIFFRACER_DISABLE_BACKDOOR is set');
  });

  it('keeps it off without a token or when disabled by option', () => {
    expect(backdoorDisabledReason(normalizeBackdoorOptions({}), {})).toBe('no token is configured');
    expect(backdoorDisabledReason(normalizeBackdoorOptions({ token, enabled: false }), {})).toBe('disabled by its options');
  });
});
