import { InvalidOptionsError } from '@cliffracer/common';
import { describe, expect, it } from '@jest/globals';
import { normalizeSecureRepositoryOptions } from './secure-repository.options.js';

describe('normalizeSecureRepositoryOptions', () => {
  it('applies the defaults: embedded database, public schema, bounded pages', () => {
    const options = normalizeSecureRepositoryOptions();
    expect(options.url).toBeUndefined();
    expect(options).toMatchObject({
      schema: 'public',
      embeddedDir: './.pgdata',
      maxLimit: 1000,
      defaultLimit: 100,
      batchSize: 1000,
      statementTimeoutMs: 3000,
      lockTimeoutMs: 1000,
      pingTimeoutMs: 1000,
      pool: { max: 10, idleTimeoutMs: 30000, connectionTimeoutMs: 2000 },
    });
  });

  it('keeps pool defaults for the settings left out', () => {
    expect(normalizeSecureRepositoryOptions({ pool: { max: 3 } }).pool).toEqual({ max: 3, idleTimeoutMs: 30000, connectionTimeoutMs: 2000 });
  });

  it.each([
    [{ url: 'mysql://root@localhost/db' }, 'url must be a postgres:// URL'],
    [{ schema: 'public; DROP SCHEMA public' }, 'schema must be a lowercase identifier'],
    [{ maxLimit: 0 }, 'maxLimit must be a positive whole number'],
    [{ defaultLimit: 50, maxLimit: 10 }, 'defaultLimit must not exceed maxLimit'],
    [{ pool: { max: 0 } }, 'pool.max must be a positive whole number'],
    [{ lockTimeoutMs: 0 }, 'lockTimeoutMs must be a positive whole number'],
    [{ statementTimeoutMs: 2.5 }, 'statementTimeoutMs must be a positive whole number'],
    [{ pingTimeoutMs: -1 }, 'pingTimeoutMs must be a positive whole number'],
  ])('refuses %j', (options, message) => {
    expect(() => normalizeSecureRepositoryOptions(options)).toThrow(InvalidOptionsError);
    expect(() => normalizeSecureRepositoryOptions(options)).toThrow(message);
  });
});
