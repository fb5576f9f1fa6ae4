import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { DatabaseFailureMapper } from './database-failure.mapper.js';
import { DatabaseQueryError } from './errors/database-query.error.js';
import { DatabaseTimeoutError } from './errors/database-timeout.error.js';
import { DatabaseUnavailableError } from './errors/database-unavailable.error.js';
import { SecureQueryError } from './errors/secure-query.error.js';

const OPTIONS = { pool: { max: 10, idleTimeoutMs: 30_000, connectionTimeoutMs: 2000 }, statementTimeoutMs: 3000, lockTimeoutMs: 1000 };

/** An error as `pg` builds it from a server's ErrorResponse. */
function serverError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code, severity: 'ERROR' });
}

function refused(host: string, port: number): Error {
  return Object.assign(new Error(`connect ECONNREFUSED ${host}:${port}`), { code: 'ECONNREFUSED', address: host, port });
}

describe('DatabaseFailureMapper', () => {
  let errors: jest.SpiedFunction<Logger['error']>;
  beforeEach(() => {
    errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => errors.mockRestore());

  const map = (error: unknown, write = false) => new DatabaseFailureMapper(OPTIONS).map(error, 'Order', write);

  describe('map', () => {
    it('turns a refused connection into DatabaseUnavailableError without the address', () => {
      const mapped = map(refused('10.1.2.3', 5432));
      expect(mapped).toBeInstanceOf(DatabaseUnavailableError);
      expect(mapped).toMatchObject({ code: 'DATABASE_UNAVAILABLE', message: 'database unavailable for Order; try again later' });
      expect(errors).toHaveBeenCalledWith(expect.stringContaining('connect ECONNREFUSED 10.1.2.3:5432'));
    });

    it('finds the refusal inside the AggregateError of a name with several addresses', () => {
      const mapped = map(new AggregateError([refused('::1', 5432), refused('127.0.0.1', 5432)], ''));
      expect(mapped).toBeInstanceOf(DatabaseUnavailableError);
    });

    it.each([
      ['a server shutting down', serverError('57P01', 'terminating connection due to administrator command')],
      ['a lost connection', new Error('Connection terminated unexpectedly')],
      ['a connection exception', serverError('08006', 'connection failure')],
    ])('treats %s as unavailable', (_what, error) => {
      expect(map(error)).toBeInstanceOf(DatabaseUnavailableError);
    });

    it.each([
      ['a lock timeout', new QueryFailedError('SELECT 1', [], serverError('55P03', 'canceling statement due to lock timeout')), 'lock', 1000],
      ['a statement timeout', new QueryFailedError('SELECT 1', [], serverError('57014', 'canceling statement due to statement timeout')), 'statement', 3000],
      ['a full pool', new Error('timeout exceeded when trying to connect'), 'connect', 2000],
      ['a slow connect', new Error('Connection terminated due to connection timeout'), 'connect', 2000],
    ])('turns %s into DatabaseTimeoutError naming the wait and its timeout', (_what, error, wait, timeoutMs) => {
      expect(map(error)).toMatchObject({ name: 'DatabaseTimeoutError', code: 'DATABASE_TIMEOUT', wait, timeoutMs });
      expect(map(error)).toBeInstanceOf(DatabaseTimeoutError);
    });

    it('turns a refusal by the server into DatabaseQueryError that quotes no SQL and no value', () => {
      const failure = new QueryFailedError('INSERT INTO "orders" VALUES ($1)', ['secret-42'], serverError('23505', 'duplicate key value violates unique constraint "PK_orders"'));
      const mapped = map(failure, true);
      expect(mapped).toBeInstanceOf(DatabaseQueryError);
      expect(mapped).toMatchObject({ code: 'CONFLICT', sqlstate: '23505', message: 'database refused the write on Order: a row with this key or unique value exists' });
      expect(JSON.stringify({ ...(mapped as object), message: (mapped as Error).message })).not.toMatch(/INSERT|secret-42|PK_orders/);
    });

    it('passes errors that did not come from the database unchanged', () => {
      const own = new Error('payment failed');
      const refusal = new SecureQueryError('Order', 'id', 'must be a UUID');
      expect(map(own)).toBe(own);
      expect(map(refusal)).toBe(refusal);
      expect(errors).not.toHaveBeenCalled();
    });
  });
});
